using System.Globalization;

namespace AgriChain.Benchmarks;

/// <summary>The command line: <c>--quick</c>, <c>--storage sqlite|postgresql</c>, <c>--out FILE</c>, <c>--only 1,3</c>.</summary>
internal sealed record BenchmarkOptions(bool Quick, string Storage, string? Out, IReadOnlySet<string>? Only)
{
    public const string Usage =
        """
        AgriChain benchmarks: each scenario measures AgriChain and its baseline alternately and reports the median ratio.

          dotnet run -c Release --project tests/AgriChain.Benchmarks -- [--quick] [--storage sqlite|postgresql] [--out FILE] [--only 1,2,...]

          --quick            short rounds and smaller data (under 3 minutes); without it, the full run
          --storage NAME     sqlite (default) or postgresql (starts a private PostgreSQL server, as the storage tests do)
          --out FILE         write the JSON to FILE and the Markdown beside it (FILE with .md);
                             default results/latest.{json,md} (results/latest-postgresql.* for postgresql)
          --only LIST        run only these scenarios (1, 2, 3, 4, 5, 6, 7, micro)
        """;

    public bool IsPostgreSql => Storage == "postgresql";

    public string Mode => Quick ? "quick" : "full";

    public bool Runs(string scenario) => Only is null || Only.Contains(scenario);

    /// <summary>Whether any scenario that needs the AgriChain server process (1 to 6) is selected.</summary>
    public bool RunsAnyServerScenario => Runs("1") || Runs("2") || Runs("3") || Runs("4") || Runs("5") || Runs("6");

    /// <summary>Parses the arguments; null (after printing why) when they are not understood.</summary>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var quick = false;
        var storage = "sqlite";
        string? output = null;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--storage" when i + 1 < args.Count:
                    storage = args[++i].ToLowerInvariant() switch
                    {
                        "sqlite" => "sqlite",
                        "postgresql" or "postgres" or "pg" => "postgresql",
                        var other => Fail($"--storage must be sqlite or postgresql, not '{other}'."),
                    };
                    break;
                case "--out" when i + 1 < args.Count:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case "--only" when i + 1 < args.Count:
                    only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    break;
                case "--help" or "-h":
                    error.WriteLine(Usage);
                    return null;
                default:
                    error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Unknown or incomplete argument '{args[i]}'."));
                    error.WriteLine(Usage);
                    return null;
            }

            if (storage.Length == 0)
            {
                return null;
            }
        }

        return new BenchmarkOptions(quick, storage, output, only);

        string Fail(string message)
        {
            error.WriteLine(message);
            return string.Empty;
        }
    }
}

/// <summary>How big and how long each scenario runs, per mode.</summary>
internal sealed record Profile(
    int Greenhouses,
    int Rounds,
    TimeSpan Round,
    TimeSpan Warmup,
    int AlertSamples,
    int TraceSamples,
    int ScaleGrains,
    int ScaleRounds,
    int MarketOffers,
    int MarketQuerySamples,
    int MarketDemands)
{
    public static Profile For(bool quick) => quick
        ? new Profile(Greenhouses: 1_000, Rounds: 3, Round: TimeSpan.FromSeconds(4), Warmup: TimeSpan.FromSeconds(4),
            AlertSamples: 60, TraceSamples: 20, ScaleGrains: 4_000, ScaleRounds: 4,
            MarketOffers: 10_000, MarketQuerySamples: 100, MarketDemands: 400)
        : new Profile(Greenhouses: 10_000, Rounds: 5, Round: TimeSpan.FromSeconds(10), Warmup: TimeSpan.FromSeconds(8),
            AlertSamples: 300, TraceSamples: 100, ScaleGrains: 100_000, ScaleRounds: 5,
            MarketOffers: 100_000, MarketQuerySamples: 500, MarketDemands: 2_000);
}
