using System.Diagnostics;
using System.Globalization;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>
/// CPU time and peak resident memory of a set of processes over one scenario, read from /proc: the peak (VmHWM) is
/// reset at the start through /proc/PID/clear_refs, so it is the scenario's own. PostgreSQL is read as the postmaster
/// plus its backends (its children).
/// </summary>
internal sealed class ResourceMeter
{
    private readonly Dictionary<string, Func<IReadOnlyList<int>>> _processes;
    private readonly Dictionary<string, TimeSpan> _cpuAtStart = new(StringComparer.Ordinal);
    private long _startTimestamp;
    private double _loadAtStart;

    private ResourceMeter(Dictionary<string, Func<IReadOnlyList<int>>> processes) => _processes = processes;

    public static ResourceMeter Start(IReadOnlyDictionary<string, Func<IReadOnlyList<int>>> processes)
    {
        var meter = new ResourceMeter(new Dictionary<string, Func<IReadOnlyList<int>>>(processes, StringComparer.Ordinal));
        foreach (var (name, pids) in meter._processes)
        {
            var ids = pids();
            meter._cpuAtStart[name] = Cpu(ids);
            foreach (var pid in ids)
            {
                ResetPeak(pid);
            }
        }

        meter._startTimestamp = Stopwatch.GetTimestamp();
        meter._loadAtStart = LoadAverage();
        return meter;
    }

    /// <summary>CPU seconds and peak resident MB per named process group since <see cref="Start"/>.</summary>
    public IReadOnlyList<ResourceUse> Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startTimestamp);
        var result = new List<ResourceUse>();
        foreach (var (name, pids) in _processes)
        {
            var ids = pids();
            var cpu = Cpu(ids) - _cpuAtStart[name];
            var peak = ids.Sum(PeakBytes);
            result.Add(new ResourceUse(name, LoadAverage: Math.Round((_loadAtStart + LoadAverage()) / 2, 1), CpuSeconds: Math.Round(Math.Max(0, cpu.TotalSeconds), 2),
                CpuPercent: Math.Round(elapsed.TotalSeconds > 0 ? Math.Max(0, cpu.TotalSeconds) / elapsed.TotalSeconds * 100 : 0, 0),
                PeakMemoryMb: Math.Round(peak / 1024.0 / 1024.0, 0)));
        }

        return result;
    }

    /// <summary>The machine's one-minute load average (runnable threads of every process, on 2 cores here).</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>The process and its direct children (PostgreSQL's backends).</summary>
    public static IReadOnlyList<int> WithChildren(int pid)
    {
        var ids = new List<int> { pid };
        var children = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task/{pid.ToString(CultureInfo.InvariantCulture)}/children";
        if (File.Exists(children))
        {
            try
            {
                ids.AddRange(File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // The process went away.
            }
        }

        return ids;
    }

    private static TimeSpan Cpu(IReadOnlyList<int> pids)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited between listing and reading.
            }
        }

        return total;
    }

    private static long PeakBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null)
            {
                return 0;
            }

            var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
            return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static void ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not allowed here: the peak is then the process's lifetime peak, which the report cannot tell apart.
        }
    }
}

internal static class ResourceUseExtensions
{
    /// <summary>
    /// A note with the server's CPU time per item carried (reading, event), over the measured rounds: what the
    /// work costs whatever else the machine was doing. Its baseline rounds add only the server's idle time.
    /// </summary>
    public static string CpuPerItem(this IReadOnlyList<ResourceUse> resources, long items, string item, string? plural = null)
    {
        plural ??= item + "s";
        var server = resources.FirstOrDefault(r => r.Process == "agrichain");
        return server is null || items == 0
            ? $"No CPU reading per {item}."
            : string.Create(CultureInfo.InvariantCulture, $"AgriChain's process used {server.CpuSeconds * 1_000_000 / items:0.#} µs of CPU per {item} ({server.CpuSeconds:0.#} s for {items:N0} {plural}); two idle cores could afford at most {2 * items / Math.Max(server.CpuSeconds, 0.001):N0} {plural}/s at that cost.");
    }
}

/// <summary>What one process group used during a scenario.</summary>
internal sealed record ResourceUse(string Process, double CpuSeconds, double CpuPercent, double PeakMemoryMb, double LoadAverage);
