using AgriChain.Domain.Common;
using AgriChain.Domain.Market;
using static AgriChain.Domain.Tests.Market.MarketSamples;

namespace AgriChain.Domain.Tests.Market;

public sealed class MarketRulesTests
{
    [Fact]
    public void Offer_NamesEveryBadField()
    {
        var errors = new FieldErrors();

        var terms = MarketRules.Offer("Bad Owner", null, "x", -1, 0, "tomorrow", "2026-03-01", "b1", "gh1", Now, errors);

        Assert.Null(terms);
        Assert.Equal(["availableFrom", "availableTo", "grade", "greenhouseId", "ownerId", "pricePerKg", "product", "quantityKg"],
            errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Offer_TakesDatesAsChinaStandardDays()
    {
        var errors = new FieldErrors();

        var terms = MarketRules.Offer("coop", "nectarine", "a", 100, 6.5m, "2026-03-21", "2026-03-31", "b1", null, Now, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 16, 0, 0, TimeSpan.Zero), terms!.AvailableFrom);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero).AddTicks(-1), terms.AvailableTo);
        Assert.Equal(OfferKind.OnHand, terms.Kind);
    }

    [Fact]
    public void Offer_NeedsABatchOrAGreenhouse()
    {
        var errors = new FieldErrors();

        MarketRules.Offer("coop", "nectarine", "a", 100, 6.5m, "2026-03-21T08:00:00+08:00", "2026-03-31", null, null, Now, errors);

        Assert.Equal(["batchId"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Demand_NamesEveryBadField_AndRefusesAPastDate()
    {
        var errors = new FieldErrors();

        MarketRules.Demand(null, "nectarine", "z", 0, -2, "2026-03-01", null, "  ", Now, errors);

        Assert.Equal(["buyerId", "deliverBy", "grade", "maxPricePerKg", "quantityKg"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Watch_AndSupply_Validate()
    {
        var errors = new FieldErrors();
        Assert.Null(MarketRules.Watch("buyer", null, "a", null, null, null, null, null, errors));
        Assert.Equal(["minQuantityKg", "product"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));

        var supplyErrors = new FieldErrors();
        Assert.Null(MarketRules.Supply("nectarine", "gold", "soon", null, null, null, null, supplyErrors));
        Assert.Equal(["availableBy", "grade"], supplyErrors.ToDictionary().Keys.Order(StringComparer.Ordinal));

        var ok = MarketRules.Supply("nectarine", null, null, null, null, "Wenxi", null, new FieldErrors());
        Assert.Equal(new SupplyFilter("nectarine", County: "Wenxi"), ok);
    }
}
