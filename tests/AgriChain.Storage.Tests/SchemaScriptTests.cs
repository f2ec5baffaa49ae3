namespace AgriChain.Storage.Tests;

/// <summary>The scripts the host applies are exactly the files operators read under deploy/sql.</summary>
public sealed class SchemaScriptTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite, "sqlite")]
    [InlineData(StorageProvider.PostgreSql, "postgresql")]
    public async Task EmbeddedScripts_MatchTheFilesUnderDeploySql(StorageProvider provider, string folder)
    {
        await using var database = new AgriChainDatabase(provider == StorageProvider.Sqlite
            ? new StorageOptions { ConnectionString = "Data Source=unused.db" }
            : new StorageOptions { Provider = "PostgreSql", ConnectionString = "Host=127.0.0.1" });
        var files = Directory.GetFiles(Path.Combine(FindDeploySql(), folder), "*.sql").Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(files.Select(Path.GetFileName), database.SchemaScripts.Select(script => script.Name));
        foreach (var (file, script) in files.Zip(database.SchemaScripts))
        {
            Assert.Equal(await File.ReadAllTextAsync(file), script.Sql);
        }

        Assert.Equal(Enumerable.Range(1, files.Length), database.SchemaScripts.Select(script => script.Version));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task EveryScript_RecordsItsOwnVersion(string folder)
    {
        foreach (var file in Directory.GetFiles(Path.Combine(FindDeploySql(), folder), "*.sql"))
        {
            var name = Path.GetFileName(file);
            var version = int.Parse(name[..3], System.Globalization.CultureInfo.InvariantCulture);
            var text = await File.ReadAllTextAsync(file);

            Assert.Contains($"VALUES ({version}, '{name}')", text, StringComparison.Ordinal);
        }
    }

    private static string FindDeploySql()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "deploy", "sql");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No deploy/sql folder above {AppContext.BaseDirectory}.");
    }
}
