namespace AgriChain.Server.Demo;

/// <summary>
/// The demo season, section <c>Demo</c>. <c>Demo:Seed</c> (default: true in Development, false elsewhere) seeds the
/// season on the first start of an embedded SQLite database (the file did not exist yet); <c>--demo</c> on the command
/// line (<c>Demo:Force</c>) seeds whatever the database, in any environment but Production. <c>Demo:Simulate</c>
/// (default: as <c>Demo:Seed</c>) keeps the demo greenhouses' sensors reporting while the host runs.
/// </summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>The command-line switch, rewritten to <c>--Demo:Force=true</c> before configuration reads the arguments.</summary>
    public const string Switch = "--demo";

    public bool? Seed { get; set; }

    public bool Force { get; set; }

    public bool? Simulate { get; set; }

    /// <summary>How often the simulated sensors catch up with the clock, in seconds.</summary>
    public double SimulateEverySeconds { get; set; } = 60;

    /// <summary>
    /// Turns a bare <c>--demo</c> into <c>--Demo:Force=true</c>: the configuration reader would otherwise take the next
    /// argument as its value.
    /// </summary>
    public static string[] ExpandSwitch(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Select(a => string.Equals(a, Switch, StringComparison.OrdinalIgnoreCase) ? "--Demo:Force=true" : a).ToArray();
    }
}

/// <summary>What this start will do with the demo season, decided from the settings before the database is opened.</summary>
public sealed record DemoPlan(bool Seed, bool Simulate, string Reason);
