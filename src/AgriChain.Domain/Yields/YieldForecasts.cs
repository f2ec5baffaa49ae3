namespace AgriChain.Domain.Greenhouses;

/// <summary>What a quantity forecast says and why.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.quantity-forecast")]
public sealed record QuantityForecast(
    [property: Id(0)] decimal ForecastKg,
    [property: Id(1)] decimal TargetKg,
    [property: Id(2)] double ColdDegreeHours,
    [property: Id(3)] double Loss);

/// <summary>What a harvest-window forecast says and which inputs produced it.</summary>
[GenerateSerializer, Immutable, Alias("agrichain.harvest-window")]
public sealed record HarvestWindow(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset To,
    [property: Id(2)] DateTimeOffset Expected,
    [property: Id(3)] DateTimeOffset BloomAt,
    [property: Id(4)] int DaysBloomToHarvest,
    [property: Id(5)] double Gdh30Days,
    [property: Id(6)] double ReferenceGdh30Days,
    [property: Id(7)] double ShiftDays,
    [property: Id(8)] double CoveredHours,
    [property: Id(9)] string Model);

/// <summary>The yield arithmetic: kg per mu, seasons, and the two forecasts.</summary>
public static class YieldForecasts
{
    public const string WindowModel = "bloom-plus-days-gdh-adjusted";

    /// <summary>Hours in the 30 days after full bloom whose warmth moves the harvest date.</summary>
    public const double WindowHours = 30 * 24;

    /// <summary>Harvested kilograms per mu, rounded to 0.1 kg; zero for a zero area.</summary>
    public static decimal KgPerMu(decimal harvestedKg, decimal areaMu) =>
        areaMu <= 0 ? 0 : Math.Round(harvestedKg / areaMu, 1, MidpointRounding.AwayFromZero);

    /// <summary>The season of a harvest: its calendar year in the farm's time zone.</summary>
    public static int Season(DateTimeOffset at, TimeZoneInfo farmZone) => TimeZoneInfo.ConvertTime(at, farmZone).Year;

    /// <summary>Area × target, reduced by the cold at bloom and fruit set.</summary>
    public static QuantityForecast Quantity(decimal areaMu, decimal targetKgPerMu, ColdExposure bloomExposure, YieldModel model)
    {
        var target = areaMu * targetKgPerMu;
        var degreeHours = bloomExposure.DegreeMinutesBelowFloor / 60;
        var loss = Math.Min(model.MaxColdLoss, Math.Max(0, model.ColdLossPerDegreeHour * degreeHours));
        var forecast = Math.Round(target * (decimal)(1 - loss), 1, MidpointRounding.AwayFromZero);
        return new QuantityForecast(forecast, target, degreeHours, loss);
    }

    /// <summary>
    /// Growing degree hours of hourly mean temperatures: each hour adds its mean above the base, up to the optimum.
    /// </summary>
    public static double GrowingDegreeHours(IEnumerable<double> hourlyMeans, YieldModel model) =>
        hourlyMeans.Sum(t => Math.Clamp(t, model.GdhBaseC, model.GdhOptimumC) - model.GdhBaseC);

    /// <summary>
    /// Bloom + days, moved by the 30-day GDH. When fewer than 30 days of hours are measured (bloom was recent, or
    /// sensors were down), the measured hours are scaled up to 30 days, so a warm first week already counts.
    /// </summary>
    public static HarvestWindow Window(DateTimeOffset bloomAt, int daysBloomToHarvest, double measuredGdh, double coveredHours, YieldModel model)
    {
        var gdh30 = coveredHours <= 0 ? model.ReferenceGdh30Days : measuredGdh * (WindowHours / Math.Min(coveredHours, WindowHours));
        var shift = -(gdh30 - model.ReferenceGdh30Days) / 1000 * model.DaysPerThousandGdh;
        var expected = bloomAt.AddDays(daysBloomToHarvest + shift);
        return new HarvestWindow(expected.AddDays(-model.WindowDays), expected.AddDays(model.WindowDays), expected, bloomAt,
            daysBloomToHarvest, Math.Round(gdh30, 1), model.ReferenceGdh30Days, Math.Round(shift, 2), coveredHours, WindowModel);
    }
}
