namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>Paths in the repository under test.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AgriChain.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No AgriChain.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The folder that holds AgriChain.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>A path under deploy/.</summary>
    public static string Deploy(params string[] parts) => Path.Combine([Root, "deploy", .. parts]);
}
