using AgriChain.Domain.Market;
using AgriChain.Domain.MasterData;

namespace AgriChain.Domain.Tests.Market;

internal static class MarketSamples
{
    public static readonly DateTimeOffset Now = new(2026, 3, 20, 0, 0, 0, TimeSpan.Zero);
    public static readonly Region Xibeizhuang = new("Xibeizhuang", "Dongzhen", "Wenxi");
    public static readonly Region Houcun = new("Houcun", "Dongzhen", "Wenxi");
    public static readonly Region Nanguan = new("Nanguan", "Yicheng", "Jiangxian");

    public static SupplyEntry Offer(string id, decimal priceKg, decimal freeKg, Region? region = null, string grade = "a",
        int availableInDays = 1, int createdMinutesAgo = 60, OfferKind kind = OfferKind.OnHand, bool coldEvent = false) =>
        new(id, "coop", "nectarine", grade, kind, priceKg, Now.AddDays(availableInDays), Now.AddDays(40), region ?? Xibeizhuang,
            freeKg, coldEvent, Now.AddMinutes(-createdMinutesAgo), 1, true);

    public static DemandTerms Demand(decimal kg, decimal maxPrice = 10, string grade = "a", int deliverInDays = 10,
        string? county = null, string? township = null) =>
        new("fresh-mart", "nectarine", grade, kg, maxPrice, Now.AddDays(deliverInDays), county, township);
}
