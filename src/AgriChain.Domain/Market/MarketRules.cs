using System.Globalization;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;

namespace AgriChain.Domain.Market;

/// <summary>Validation of what clients send to the market, naming every bad field.</summary>
public static class MarketRules
{
    public const decimal MaxQuantityKg = 100_000_000m;
    public const decimal MaxPricePerKg = 100_000m;
    public const int MaxRegionText = 100;

    /// <summary>A plain date (<c>2026-06-10</c>) is a day in the villages' time zone, China Standard Time.</summary>
    public static readonly TimeSpan MarketDayOffset = TimeSpan.FromHours(8);

    /// <summary>Checks an offer; null when any field is bad. Exactly one of a batch or a greenhouse backs it.</summary>
    public static OfferTerms? Offer(string? ownerId, string? product, string? grade, decimal? quantityKg, decimal? pricePerKg,
        string? availableFrom, string? availableTo, string? batchId, string? greenhouseId, DateTimeOffset now, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var owner = errors.RequireId("ownerId", ownerId);
        var productId = errors.RequireId("product", product);
        var gradeName = RequireGrade(errors, "grade", grade);
        var quantity = errors.RequirePositive("quantityKg", quantityKg, MaxQuantityKg);
        var price = errors.RequirePositive("pricePerKg", pricePerKg, MaxPricePerKg);
        var from = Moment(errors, "availableFrom", availableFrom, endOfDay: false);
        var to = Moment(errors, "availableTo", availableTo, endOfDay: true);
        if (from is not null && to is not null && to < from)
        {
            errors.Add("availableTo", "must not be before availableFrom");
        }
        else if (to is not null && to < now)
        {
            errors.Add("availableTo", "must not be in the past");
        }

        var batch = errors.OptionalId("batchId", batchId);
        var greenhouse = errors.OptionalId("greenhouseId", greenhouseId);
        if (batch is null == greenhouse is null)
        {
            errors.Add(batch is null ? "batchId" : "greenhouseId",
                "an offer sells either a batch on hand (batchId) or a greenhouse's forecast (greenhouseId), exactly one of them");
        }

        return errors.IsEmpty
            ? new OfferTerms(owner, productId, gradeName, quantity, price, from!.Value.ToUniversalTime(), to!.Value.ToUniversalTime(), batch, greenhouse)
            : null;
    }

    /// <summary>Checks a demand; null when any field is bad.</summary>
    public static DemandTerms? Demand(string? buyerId, string? product, string? grade, decimal? quantityKg, decimal? maxPricePerKg,
        string? deliverBy, string? county, string? township, DateTimeOffset now, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var buyer = errors.RequireId("buyerId", buyerId);
        var productId = errors.RequireId("product", product);
        var gradeName = RequireGrade(errors, "grade", grade);
        var quantity = errors.RequirePositive("quantityKg", quantityKg, MaxQuantityKg);
        var price = errors.RequirePositive("maxPricePerKg", maxPricePerKg, MaxPricePerKg);
        var by = Moment(errors, "deliverBy", deliverBy, endOfDay: true);
        if (by is not null && by < now)
        {
            errors.Add("deliverBy", "must not be in the past");
        }

        var countyName = errors.OptionalText("county", county, MaxRegionText);
        var townshipName = errors.OptionalText("township", township, MaxRegionText);
        return errors.IsEmpty
            ? new DemandTerms(buyer, productId, gradeName, quantity, price, by!.Value.ToUniversalTime(), countyName, townshipName)
            : null;
    }

    /// <summary>Checks a watch; null when any field is bad.</summary>
    public static WatchSpec? Watch(string buyerId, string? product, string? grade, decimal? minQuantityKg, string? village,
        string? township, string? county, bool? excludeColdEvents, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var productId = errors.RequireId("product", product);
        var gradeName = RequireGrade(errors, "grade", grade);
        var min = errors.RequirePositive("minQuantityKg", minQuantityKg, MaxQuantityKg);
        var villageName = errors.OptionalText("village", village, MaxRegionText);
        var townshipName = errors.OptionalText("township", township, MaxRegionText);
        var countyName = errors.OptionalText("county", county, MaxRegionText);
        return errors.IsEmpty
            ? new WatchSpec(buyerId, productId, gradeName, min, villageName, townshipName, countyName, excludeColdEvents ?? false)
            : null;
    }

    /// <summary>Checks the supply query's parameters; null when any is bad.</summary>
    public static SupplyFilter? Supply(string? product, string? grade, string? availableBy, string? village, string? township,
        string? county, bool? excludeColdEvents, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var productId = errors.RequireId("product", product);
        if (grade is not null && !MarketGrades.IsKnown(grade))
        {
            errors.Add("grade", $"must be one of {string.Join(", ", MarketGrades.All)}");
        }

        var by = availableBy is null ? null : Moment(errors, "availableBy", availableBy, endOfDay: true);
        var villageName = errors.OptionalText("village", village, MaxRegionText);
        var townshipName = errors.OptionalText("township", township, MaxRegionText);
        var countyName = errors.OptionalText("county", county, MaxRegionText);
        return errors.IsEmpty
            ? new SupplyFilter(productId, grade, by?.ToUniversalTime(), villageName, townshipName, countyName, excludeColdEvents ?? false)
            : null;
    }

    /// <summary>
    /// An ISO 8601 timestamp with an offset, or a plain date meaning that day in China Standard Time: its first
    /// moment, or with <paramref name="endOfDay"/> its last.
    /// </summary>
    public static DateTimeOffset? Moment(FieldErrors errors, string field, string? text, bool endOfDay)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (text is not null && DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), MarketDayOffset);
            return endOfDay ? start.AddDays(1).AddTicks(-1) : start;
        }

        var probe = new FieldErrors();
        var at = ReadingRules.ParseTime(field, text, probe);
        if (!probe.IsEmpty)
        {
            errors.Add(field, string.IsNullOrWhiteSpace(text)
                ? "is required"
                : "must be a date (2026-06-10) or an ISO 8601 timestamp with an offset, such as 2026-06-10T08:00:00+08:00");
        }

        return at;
    }

    private static string RequireGrade(FieldErrors errors, string field, string? grade)
    {
        if (grade is null)
        {
            errors.Add(field, "is required");
            return string.Empty;
        }

        if (!MarketGrades.IsKnown(grade))
        {
            errors.Add(field, $"must be one of {string.Join(", ", MarketGrades.All)}");
        }

        return grade;
    }
}
