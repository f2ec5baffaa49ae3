using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgriChain.Benchmarks.Infrastructure;

namespace AgriChain.Benchmarks.Reporting;

/// <summary>A whole run: where and how it ran, and every scenario's result.</summary>
internal sealed record RunReport(
    string Machine,
    string Commit,
    string Mode,
    string Storage,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<MicroResult> Micro);

/// <summary>One BenchmarkDotNet micro-benchmark of a Domain hot path.</summary>
internal sealed record MicroResult(string Name, double MeanNs, double? ErrorNs, long? AllocatedBytes, string PerOperation);

/// <summary>
/// Writes a run as JSON (<c>{machine, commit, mode, storage, scenarios: [{name, metric, unit, value, baseline, ratio,
/// target, p50Ms, p99Ms, met, ...}]}</c>, extra fields after the required ones) and as a Markdown table.
/// </summary>
internal static class ResultWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(RunReport report, string jsonPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        var markdownPath = Path.ChangeExtension(jsonPath, ".md");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(ToJson(report), Json) + "\n");
        await File.WriteAllTextAsync(markdownPath, ToMarkdown(report));
        Console.WriteLine($"Results: {jsonPath}");
        Console.WriteLine($"         {markdownPath}");
    }

    private static object ToJson(RunReport report) => new
    {
        machine = report.Machine,
        commit = report.Commit,
        mode = report.Mode,
        storage = report.Storage,
        scenarios = report.Scenarios.Select(s => new
        {
            name = s.Name,
            metric = s.Metric,
            unit = s.Unit,
            value = Clean(s.Value),
            baseline = Clean(s.Baseline),
            ratio = Clean(s.Ratio, 3),
            target = s.Target,
            p50Ms = Clean(s.P50Ms, 2),
            p99Ms = Clean(s.P99Ms, 2),
            met = s.Met,
            id = s.Id,
            baselineDescription = s.BaselineDescription,
            ratioRule = s.RatioRule,
            baselineP50Ms = Clean(s.BaselineP50Ms, 2),
            baselineP99Ms = Clean(s.BaselineP99Ms, 2),
            resources = s.Resources,
            rounds = s.Rounds.Select(r => new { round = r.Round, value = Clean(r.Value), baseline = Clean(r.Baseline), ratio = Clean(r.Ratio, 3) }),
            notes = s.Notes,
        }),
        startedAt = report.StartedAt,
        durationSeconds = Math.Round(report.Duration.TotalSeconds, 1),
        microBenchmarks = report.Micro,
    };

    private static string ToMarkdown(RunReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# AgriChain benchmark results").AppendLine();
        md.AppendLine(Invariant($"- Machine: {report.Machine}"));
        md.AppendLine(Invariant($"- Commit: `{report.Commit}`"));
        md.AppendLine(Invariant($"- Mode: {report.Mode}; storage: {report.Storage}; started {report.StartedAt:yyyy-MM-dd HH:mm} UTC; took {report.Duration.TotalSeconds:0} s"));
        md.AppendLine("- Command: `dotnet run -c Release --project tests/AgriChain.Benchmarks -- "
            + (report.Mode == "quick" ? "--quick " : string.Empty) + $"--storage {report.Storage}`");
        md.AppendLine();
        md.AppendLine("Each scenario runs AgriChain and its baseline alternately in the same run, on the same machine, and reports");
        md.AppendLine("the median of the per-round ratios. For rates the ratio is AgriChain / baseline (higher is better); for");
        md.AppendLine("latencies and memory it is AgriChain / baseline too, so there lower is better and the target is absolute.");
        md.AppendLine("Absolute figures are medians over the rounds and are context: this machine is shared and noisy.");
        md.AppendLine();
        md.AppendLine("CPU is the CPU time each process used while the scenario was measured (both sides' rounds), with its");
        md.AppendLine("average share of one core; peak RSS is the highest resident memory in that time (reset at the start through");
        md.AppendLine("/proc/PID/clear_refs). Load is the machine's one-minute load average then: 2 means both cores busy, and");
        md.AppendLine("anything above is other work (other builds and tests) competing with the benchmark.");
        md.AppendLine();
        md.AppendLine("| # | Scenario | Metric | AgriChain | Baseline | Ratio | Target | p50 ms | p99 ms | Met | CPU s (avg %) | Peak RSS MB | Load |");
        md.AppendLine("| --- | --- | --- | --: | --: | --: | --- | --: | --: | --- | --- | --- | --: |");
        foreach (var s in report.Scenarios)
        {
            md.AppendLine(Invariant($"| {s.Id} | {s.Name} | {s.Metric} | {Number(s.Value, s.Unit)} | {Number(s.Baseline, s.Unit)} | {Ratio(s.Ratio)} | {s.Target} | {Number(s.P50Ms)} | {Number(s.P99Ms)} | {(s.Value is null ? "not measured" : s.Met ? "yes" : "**no**")} | {Resources(s.Resources, r => Invariant($"{r.CpuSeconds:0.#} ({r.CpuPercent:0} %)"))} | {Resources(s.Resources, r => Invariant($"{r.PeakMemoryMb:0}"))} | {(s.Resources.Count > 0 ? Invariant($"{s.Resources[0].LoadAverage:0.#}") : "-")} |"));
        }

        md.AppendLine();
        foreach (var s in report.Scenarios)
        {
            md.AppendLine(Invariant($"## {s.Id}. {s.Name}")).AppendLine();
            md.AppendLine(Invariant($"- Baseline: {s.BaselineDescription}"));
            md.AppendLine(Invariant($"- Ratio: {s.RatioRule}"));
            if (s.BaselineP50Ms is not null || s.BaselineP99Ms is not null)
            {
                md.AppendLine(Invariant($"- Baseline latency: p50 {Number(s.BaselineP50Ms)} ms, p99 {Number(s.BaselineP99Ms)} ms"));
            }

            if (s.Rounds.Count > 0)
            {
                md.AppendLine("- Rounds (AgriChain / baseline = ratio): " + string.Join("; ",
                    s.Rounds.Select(r => Invariant($"{Number(r.Value, s.Unit)} / {Number(r.Baseline, s.Unit)} = {Ratio(r.Ratio)}"))));
            }

            foreach (var note in s.Notes)
            {
                md.AppendLine(Invariant($"- {note}"));
            }

            md.AppendLine();
        }

        if (report.Micro.Count > 0)
        {
            md.AppendLine("## Micro-benchmarks of Domain hot paths (BenchmarkDotNet)").AppendLine();
            md.AppendLine("| Benchmark | Mean | Error | Allocated | Per |");
            md.AppendLine("| --- | --: | --: | --: | --- |");
            foreach (var m in report.Micro)
            {
                md.AppendLine(Invariant($"| {m.Name} | {Duration(m.MeanNs)} | {(m.ErrorNs is { } e ? Duration(e) : "-")} | {(m.AllocatedBytes is { } a ? Number(a, "B") : "-")} | {m.PerOperation} |"));
            }

            md.AppendLine();
        }

        md.AppendLine(Findings.Markdown);
        return md.ToString();
    }

    private static string Resources(IReadOnlyList<ResourceUse> resources, Func<ResourceUse, string> format) =>
        resources.Count == 0 ? "-" : string.Join("<br>", resources.Select(r => $"{r.Process}: {format(r)}"));

    private static double? Clean(double? value, int digits = 1) =>
        value is { } v && double.IsFinite(v) ? Math.Round(v, v >= 100 ? 0 : digits) : null;

    private static string Ratio(double? ratio) => ratio is { } r && double.IsFinite(r) ? Invariant($"{r:0.00}×") : "-";

    private static string Number(double? value, string unit = "")
    {
        if (value is not { } v || !double.IsFinite(v))
        {
            return "-";
        }

        var text = Math.Abs(v) >= 100 ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("0.##", CultureInfo.InvariantCulture);
        return unit.Length == 0 ? text : $"{text} {unit}";
    }

    private static string Duration(double nanoseconds) => nanoseconds switch
    {
        >= 1_000_000 => Invariant($"{nanoseconds / 1_000_000:0.00} ms"),
        >= 1_000 => Invariant($"{nanoseconds / 1_000:0.00} µs"),
        _ => Invariant($"{nanoseconds:0.0} ns"),
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
