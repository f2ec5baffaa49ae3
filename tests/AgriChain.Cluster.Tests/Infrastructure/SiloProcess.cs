using System.Diagnostics;
using System.Globalization;
using System.Text;
using AgriChain.Storage.Tests.Infrastructure;

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>
/// One silo of a test cluster: the built AgriChain.Server started as its own process, as an operator starts it, on
/// loopback ports chosen here, so that a test can kill it with SIGKILL and tell its grains apart by silo port.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private const int OutputLimit = 400_000;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(string name, Process process, int httpPort, int siloPort, int gatewayPort)
    {
        Name = name;
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int SiloPort { get; }

    public int GatewayPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote, at most the last few hundred kilobytes.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The last lines of <see cref="Output"/>, for failure messages.</summary>
    public string OutputTail(int characters = 6_000)
    {
        var output = Output;
        return $"--- {Name} (pid {_process.Id.ToString(CultureInfo.InvariantCulture)}) ---\n"
            + (output.Length <= characters ? output : output[^characters..]);
    }

    /// <summary>
    /// Starts the server in <paramref name="workingDirectory"/> in the Production environment, with HTTP, silo and
    /// gateway ports of its own and <paramref name="settings"/> as <c>--Key=Value</c> arguments.
    /// </summary>
    public static SiloProcess Start(string name, string workingDirectory, IReadOnlyDictionary<string, string> settings)
    {
        var httpPort = TestPorts.Free();
        var siloPort = TestPorts.Free();
        var gatewayPort = TestPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerAssemblyPath());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--Cluster:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}");
        start.ArgumentList.Add($"--Cluster:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var process = new Process { StartInfo = start };
        var silo = new SiloProcess(name, process, httpPort, siloPort, gatewayPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200 (silo active, storage reachable), failing with the output.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan deadline)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{Name} exited with {_process.ExitCode.ToString(CultureInfo.InvariantCulture)} before it was ready:\n{OutputTail()}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{Name} was not ready within {deadline}:\n{OutputTail()}");
    }

    /// <summary>SIGKILL: no shutdown code runs, connections drop, the silo's membership row stays Active.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > OutputLimit)
            {
                _output.Remove(0, _output.Length - (OutputLimit / 2));
            }
        }
    }

    /// <summary>The server's own build output, next to this test project's in the same configuration.</summary>
    private static string ServerAssemblyPath()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var path = Path.Combine(Repository.Root, "src", "AgriChain.Server", "bin", configuration, framework, "AgriChain.Server.dll");
        Assert.True(File.Exists(path), $"The server must be built first: {path} is missing.");
        return path;
    }
}
