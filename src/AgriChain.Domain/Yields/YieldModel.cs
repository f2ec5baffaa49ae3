namespace AgriChain.Domain.Greenhouses;

/// <summary>
/// The parameters of the yield and harvest-date forecasts, kept in the crop profile so agronomists can tune them.
/// <list type="bullet">
/// <item>Quantity: area × target yield × (1 − loss), where loss = <see cref="ColdLossPerDegreeHour"/> × the
/// degree-hours below the floor during flowering and fruit set, capped at <see cref="MaxColdLoss"/>. Cold at bloom
/// kills pollen tubes and young fruit, so each degree-hour below the floor costs a share of the crop.</item>
/// <item>Harvest date: full bloom + days bloom-to-harvest, moved by the warmth of the 30 days after full bloom,
/// measured as growing degree hours (each hour counts its temperature above <see cref="GdhBaseC"/>, up to
/// <see cref="GdhOptimumC"/>, as in the Anderson GDH model's linear part). Every 1,000 GDH above
/// <see cref="ReferenceGdh30Days"/> brings harvest <see cref="DaysPerThousandGdh"/> days earlier; below, later.
/// The window is the date ± <see cref="WindowDays"/>.</item>
/// </list>
/// </summary>
[GenerateSerializer, Immutable, Alias("agrichain.yield-model")]
public sealed record YieldModel(
    [property: Id(0)] double ColdLossPerDegreeHour,
    [property: Id(1)] double MaxColdLoss,
    [property: Id(2)] double GdhBaseC,
    [property: Id(3)] double GdhOptimumC,
    [property: Id(4)] double ReferenceGdh30Days,
    [property: Id(5)] double DaysPerThousandGdh,
    [property: Id(6)] int WindowDays)
{
    /// <summary>
    /// Defaults for heated-greenhouse nectarines: 2 % of the crop per degree-hour below the floor at bloom, at most
    /// 80 %; GDH base 4.5 °C and optimum 25 °C; 30 days at a mean of 15 °C (the usual night/day regime under cover)
    /// give the reference 7,560 GDH; 2 days earlier per 1,000 GDH more; a window of ±5 days.
    /// </summary>
    public static readonly YieldModel Default = new(0.02, 0.8, 4.5, 25, 7_560, 2, 5);
}
