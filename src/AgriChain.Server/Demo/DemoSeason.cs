using AgriChain.Domain.Access;
using AgriChain.Domain.Greenhouses;
using AgriChain.Domain.MasterData;

namespace AgriChain.Server.Demo;

/// <summary>A demo greenhouse: where it stands, what it grows, its stage, and whether a sensor reports (or a technician by hand).</summary>
public sealed record DemoGreenhouse(string Id, string FarmId, string Name, string Variety, decimal AreaMu, GrowthStage Stage,
    TimeSpan StageAge, bool Sensor, double Offset);

/// <summary>A demo API key: fixed, printed at start, for trying each role.</summary>
public sealed record DemoKey(string Id, string Secret, KeyGrant Grant)
{
    public string Token => $"agk_{Id}.{Secret}";
}

/// <summary>
/// A season in Qijiahe township (Yuanqu county, southern Shanxi): the Jiwang demonstration park's heated nectarine
/// greenhouses in Qianping in flowering, one of them through a cold night when its heater failed; greenhouses in
/// other stages in Miaoping and Qijiahe; Xibeizhuang's persimmon orchard with its lots, a blend and a wine lot;
/// Shangping's forsythia plots with free-range chickens; two buyers. Readings follow a daily curve typical of each
/// stage, with a little deterministic noise, every five minutes (three times a day for the greenhouse without a sensor).
/// </summary>
public static class DemoSeason
{
    public const string Township = "Qijiahe";
    public const string County = "Yuanqu";
    public const string Actor = "demo-season";
    public const string TimeZone = FarmProfile.DefaultTimeZone;

    public static readonly TimeSpan Step = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan History = TimeSpan.FromDays(7);

    /// <summary>Hours the failed heater leaves jiwang-03 below the floor, from the evening it failed.</summary>
    public static readonly TimeSpan ColdSpell = TimeSpan.FromHours(30);

    /// <summary>Days of flowering before the cold night.</summary>
    public static readonly TimeSpan FloweringBeforeCold = TimeSpan.FromDays(5);

    public const string ColdGreenhouse = "jiwang-03";

    /// <summary>Xibeizhuang's wine run of the season: the blend pressed into the wine lot.</summary>
    public const string WineRun = "xbz-wine-run-2026-01";

    public static readonly (string Id, string Name, string City)[] Buyers =
    [
        ("yuncheng-fresh", "Yuncheng Fresh Market", "Yuncheng"),
        ("taiyuan-wine", "Taiyuan Fine Wines", "Taiyuan"),
    ];

    public static readonly (string Id, string Name, string Village, string Contact)[] Cooperatives =
    [
        ("qianping-coop", "Qianping Nectarine Cooperative", "Qianping", "0359-6010001"),
        ("miaoping-coop", "Miaoping Greenhouse Cooperative", "Miaoping", "0359-6010002"),
        ("qijiahe-coop", "Qijiahe Fruit Cooperative", "Qijiahe", "0359-6010003"),
        ("xibeizhuang-coop", "Xibeizhuang Persimmon Cooperative", "Xibeizhuang", "0359-6010004"),
        ("shangping-coop", "Shangping Forest Cooperative", "Shangping", "0359-6010005"),
    ];

    public static IReadOnlyList<string> CooperativeIds { get; } = Cooperatives.Select(c => c.Id).ToArray();

    public static readonly (string Id, string Name, string CooperativeId, string Village, FarmKind Kind)[] Farms =
    [
        ("jiwang-park", "Jiwang Demonstration Park", "qianping-coop", "Qianping", FarmKind.Greenhouse),
        ("miaoping-farm", "Miaoping Greenhouses", "miaoping-coop", "Miaoping", FarmKind.Greenhouse),
        ("qijiahe-farm", "Qijiahe Riverside Greenhouses", "qijiahe-coop", "Qijiahe", FarmKind.Greenhouse),
        ("xibeizhuang-orchard", "Xibeizhuang Persimmon Orchard", "xibeizhuang-coop", "Xibeizhuang", FarmKind.Orchard),
        ("shangping-forest", "Shangping Forsythia Plots", "shangping-coop", "Shangping", FarmKind.ForestPlot),
    ];

    public static readonly DemoGreenhouse[] Greenhouses =
    [
        new("jiwang-01", "jiwang-park", "Jiwang No. 1", "Zhongyou 4", 1.2m, GrowthStage.Flowering, TimeSpan.Zero, true, 0.4),
        new("jiwang-02", "jiwang-park", "Jiwang No. 2", "Zhongyou 4", 1.5m, GrowthStage.Flowering, TimeSpan.Zero, true, -0.2),
        new("jiwang-03", "jiwang-park", "Jiwang No. 3", "Zhongyou 5", 1.3m, GrowthStage.Flowering, TimeSpan.Zero, true, -0.6),
        new("jiwang-04", "jiwang-park", "Jiwang No. 4", "Zhongyou 5", 1.4m, GrowthStage.Flowering, TimeSpan.Zero, true, 0.1),
        new("miaoping-01", "miaoping-farm", "Miaoping No. 1", "Zhongyou 4", 1.0m, GrowthStage.FruitGrowth, TimeSpan.FromDays(25), false, 0),
        new("miaoping-02", "miaoping-farm", "Miaoping No. 2", "Ruiguang 18", 1.1m, GrowthStage.Budbreak, TimeSpan.FromDays(6), true, 0.3),
        new("qijiahe-01", "qijiahe-farm", "Qijiahe No. 1", "Zhongyou 4", 1.6m, GrowthStage.Ripening, TimeSpan.FromDays(20), true, 0.2),
        new("qijiahe-02", "qijiahe-farm", "Qijiahe No. 2", "Zhongyou 5", 1.2m, GrowthStage.Dormant, TimeSpan.FromDays(30), true, -0.3),
    ];

    /// <summary>Batches worth opening first: a wine lot traced back to the orchard, a split lot, a greenhouse harvest.</summary>
    public static IReadOnlyList<string> SampleBatches { get; } =
        ["xbz-wine-2026-001", "xbz-persimmon-001", "qjh-nectarine-001", "sp-eggs-001"];

    public static readonly DemoKey[] Keys =
    [
        new("demo-technician", "jiwang-technician", new KeyGrant(Role.Technician, new[] { "jiwang-park", "miaoping-farm" }, null, null, "Demo technician (Jiwang park, Miaoping)")),
        new("demo-qianping", "qianping-cooperative", new KeyGrant(Role.Cooperative, Array.Empty<string>(), "qianping-coop", null, "Demo cooperative (Qianping)")),
        new("demo-xibeizhuang", "xibeizhuang-cooperative", new KeyGrant(Role.Cooperative, Array.Empty<string>(), "xibeizhuang-coop", null, "Demo cooperative (Xibeizhuang)")),
        new("demo-buyer", "taiyuan-wine-buyer", new KeyGrant(Role.Buyer, Array.Empty<string>(), null, "taiyuan-wine", "Demo buyer (Taiyuan Fine Wines)")),
    ];

    public static Region RegionOf(string village) => new(village, Township, County);

    /// <summary>The evening (20:00 local) the heater of jiwang-03 failed: the last one at least three hours before <paramref name="now"/>.</summary>
    public static DateTimeOffset ColdStartFor(DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now.AddHours(-3), zone);
        var evening = new DateTimeOffset(local.Year, local.Month, local.Day, 20, 0, 0, local.Offset);
        return evening > local ? evening.AddDays(-1) : evening;
    }

    /// <summary>
    /// What the air of a greenhouse in <paramref name="stage"/> reads at <paramref name="at"/>: a daily curve (coolest
    /// before dawn, warmest early afternoon) inside the stage's band, the house's own offset and a little noise; for
    /// the cold greenhouse, the failed heater's cold spell.
    /// </summary>
    public static (double TemperatureC, double HumidityPct) Air(DemoGreenhouse greenhouse, GrowthStage stage, DateTimeOffset at,
        TimeZoneInfo zone, DateTimeOffset? coldStart)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var hour = local.Hour + (local.Minute / 60.0);
        var day = Math.Cos(2 * Math.PI * (hour - 14) / 24); // 1 at 14:00, -1 at 02:00
        var noise = Noise(greenhouse.Id, at);
        var (mean, swing, humidityMean, humiditySwing) = stage switch
        {
            GrowthStage.Dormant => (3.2, 2.6, 0.0, 0.0),
            GrowthStage.Budbreak => (14.5, 5.5, 71.0, 7.0),
            GrowthStage.Flowering => (17.5, 5.8, 61.0, 6.0),
            GrowthStage.FruitSet => (18.5, 6.0, 62.0, 7.0),
            GrowthStage.FruitGrowth => (20.0, 6.5, 65.0, 8.0),
            GrowthStage.Ripening => (21.0, 6.5, 58.0, 8.0),
            _ => (15.0, 6.0, 60.0, 8.0),
        };
        var temperature = mean + greenhouse.Offset + (swing * day) + (noise * 0.5);
        var humidity = humidityMean - (humiditySwing * day) + (noise * 1.5);
        if (coldStart is { } start && at >= start && at < start + ColdSpell)
        {
            // Heater out: over two hours the house sinks towards the outside air, worst before the first dawn, and
            // climbs back over two hours once it is repaired.
            var hoursIn = (at - start).TotalHours;
            var hoursLeft = (start + ColdSpell - at).TotalHours;
            var weight = Smooth(Math.Min(hoursIn, hoursLeft) / 2);
            var dip = 0.9 * Math.Exp(-Math.Pow((hoursIn - 9) / 3, 2));
            var cold = 8.5 + (0.9 * day) - dip + (noise * 0.2);
            temperature = (temperature * (1 - weight)) + (cold * weight);
            humidity = (humidity * (1 - weight)) + ((67 + (noise * 1.2)) * weight);
        }

        return (Math.Round(temperature, 1), stage == GrowthStage.Dormant ? double.NaN : Math.Round(Math.Clamp(humidity, 0, 100), 0));
    }

    private static double Smooth(double x)
    {
        var t = Math.Clamp(x, 0, 1);
        return t * t * (3 - (2 * t));
    }

    /// <summary>Deterministic noise in [-1, 1] for a greenhouse and a time, so a re-seed writes the same readings.</summary>
    private static double Noise(string id, DateTimeOffset at)
    {
        var hash = 17L;
        foreach (var c in id)
        {
            hash = (hash * 31) + c;
        }

        var x = (ulong)((hash * 2_654_435_761L) ^ (at.ToUnixTimeSeconds() / 300 * 40_503L));
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        return ((x % 2001) / 1000.0) - 1.0;
    }
}
