using System.Globalization;
using System.Text;
using AgriChain.Benchmarks.Reporting;
using AgriChain.Domain.Common;
using AgriChain.Domain.Greenhouses;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace AgriChain.Benchmarks.Micro;

/// <summary>
/// The Domain's per-reading hot paths, measured with BenchmarkDotNet (in process, short runs, with allocations): every
/// reading AgriChain ingests is validated, and every new one is folded into its greenhouse's conditions.
/// </summary>
[MemoryDiagnoser]
public class DomainBenchmarks
{
    public const int Readings = 1_000;
    private static readonly StageThresholds Flowering = BuiltInCropProfiles.Nectarine.For(GrowthStage.Flowering);
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private Reading[] _readings = [];
    private RawReading?[] _raw = [];
    private string _csv = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _readings = Enumerable.Range(0, Readings)
            .Select(i => new Reading(Start.AddSeconds(i), i % 50 == 0 ? 8 : 15 + (i % 100) / 10.0, 60, "s1")).ToArray();
        _raw = _readings.Select(r => (RawReading?)new RawReading(r.At.ToString("O", CultureInfo.InvariantCulture), r.TemperatureC, r.HumidityPct, r.SensorId)).ToArray();
        var csv = new StringBuilder("at,temperatureC,humidityPct,sensorId\n");
        foreach (var r in _readings)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.At:O},{r.TemperatureC},{r.HumidityPct},{r.SensorId}\n");
        }

        _csv = csv.ToString();
    }

    [Benchmark(Description = "ConditionEvaluator.Apply × 1,000 readings (flowering, 2 % below the floor)")]
    public int ApplyReadings()
    {
        var state = new ConditionState();
        var changes = 0;
        foreach (var reading in _readings)
        {
            changes += ConditionEvaluator.Apply(state, "gh-1", GrowthStage.Flowering, Flowering, reading, TimeSpan.FromMinutes(30)).Count;
        }

        return changes;
    }

    [Benchmark(Description = "ReadingRules.Validate of a 1,000-reading batch")]
    public int ValidateBatch() => ReadingRules.Validate(_raw, Start.AddDays(1), new FieldErrors())?.Count ?? -1;

    [Benchmark(Description = "ReadingCsv.Parse of a 1,000-row CSV body")]
    public int ParseCsv() => ReadingCsv.Parse(_csv, new FieldErrors())?.Count ?? -1;

    /// <summary>Runs the benchmarks above and returns one result each (per operation = per 1,000 readings).</summary>
    internal static IReadOnlyList<MicroResult> Run()
    {
        var artifacts = Directory.CreateTempSubdirectory("agrichain-bdn-").FullName;
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<DomainBenchmarks>(config);
        var results = summary.Reports.Select(report => new MicroResult(
            report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\''),
            report.ResultStatistics?.Mean ?? double.NaN,
            report.ResultStatistics?.ConfidenceInterval.Margin,
            report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase),
            "1,000 readings")).ToList();
        try
        {
            Directory.Delete(artifacts, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp.
        }

        return results;
    }
}
