using System.Diagnostics;
using System.Globalization;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>
/// A process serving HTTP on a loopback port: the built AgriChain.Server (as an operator starts it), or this program
/// in its echo-server mode. Keeps the last lines of its output for error messages.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ServerProcess(Process process, int httpPort)
    {
        _process = process;
        HttpPort = httpPort;
    }

    public int HttpPort { get; }

    public int ProcessId => _process.Id;

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts AgriChain.Server in <paramref name="workingDirectory"/> (its SQLite file goes under ./data).</summary>
    public static ServerProcess StartAgriChain(string workingDirectory, IEnumerable<string> arguments)
    {
        var port = Repository.FreePort();
        return Start(workingDirectory, port,
        [
            Repository.ServerAssembly,
            "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            $"--Cluster:SiloPort={Repository.FreePort().ToString(CultureInfo.InvariantCulture)}",
            $"--Cluster:GatewayPort={Repository.FreePort().ToString(CultureInfo.InvariantCulture)}",
            .. arguments,
        ]);
    }

    /// <summary>Starts this program again in echo-server mode (see <see cref="Baselines.EchoServer"/>).</summary>
    public static ServerProcess StartEcho(string workingDirectory, string adminKey)
    {
        var port = Repository.FreePort();
        var self = Path.Combine(AppContext.BaseDirectory, "AgriChain.Benchmarks.dll");
        return Start(workingDirectory, port,
        [
            self, Baselines.EchoServer.Argument,
            "--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "--admin-key", adminKey,
        ]);
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan deadline)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"The server was not ready within {deadline}:\n{Output}");
    }

    /// <summary>SIGTERM, then SIGKILL if it has not stopped within the grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static ServerProcess Start(string workingDirectory, int port, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
