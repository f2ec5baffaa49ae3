using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgriChain.Benchmarks.Infrastructure;

/// <summary>Where things are: the repository root, the server's build output, the benchmark folder; free ports.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this program was built in (Release or Debug), read off its own output folder.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string BenchmarksFolder => Path.Combine(Root, "tests", "AgriChain.Benchmarks");

    public static string ServerAssembly
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
            var path = Path.Combine(Root, "src", "AgriChain.Server", "bin", Configuration, framework, "AgriChain.Server.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"The server must be built first (dotnet run builds it): {path} is missing.");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The commit checked out, with "+dirty" when the work tree has changes; read-only git commands.</summary>
    public static string Commit()
    {
        var head = Git("rev-parse --short=12 HEAD");
        if (head is null)
        {
            return "unknown";
        }

        var status = Git("status --porcelain --untracked-files=no");
        return string.IsNullOrWhiteSpace(status) ? head : head + "+dirty";
    }

    private static string? Git(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgriChain.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("AgriChain.sln not found above " + AppContext.BaseDirectory);
    }
}
