using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace AgriChain.Storage;

/// <summary>Finds the schema scripts embedded from deploy/sql.</summary>
internal static partial class SchemaScriptCatalog
{
    private const string ResourcePrefix = "AgriChain.Sql.";

    private static readonly Lazy<IReadOnlyDictionary<StorageProvider, IReadOnlyList<SchemaScript>>> All = new(Load);

    /// <summary>The scripts for <paramref name="provider"/>, in apply order.</summary>
    public static IReadOnlyList<SchemaScript> For(StorageProvider provider) =>
        All.Value.TryGetValue(provider, out var scripts) && scripts.Count > 0
            ? scripts
            : throw new InvalidOperationException($"No schema scripts for {provider} are embedded in {typeof(SchemaScriptCatalog).Assembly.GetName().Name}.");

    /// <summary>The folder under deploy/sql that holds a provider's scripts.</summary>
    public static string FolderOf(StorageProvider provider) => provider switch
    {
        StorageProvider.Sqlite => "sqlite",
        StorageProvider.PostgreSql => "postgresql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    private static Dictionary<StorageProvider, IReadOnlyList<SchemaScript>> Load()
    {
        var assembly = typeof(SchemaScriptCatalog).Assembly;
        var result = new Dictionary<StorageProvider, IReadOnlyList<SchemaScript>>();
        foreach (var provider in Enum.GetValues<StorageProvider>())
        {
            var folder = FolderOf(provider);
            var scripts = new List<SchemaScript>();
            foreach (var resource in assembly.GetManifestResourceNames())
            {
                if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                // The build names resources after their path under deploy/sql, with the OS's separator.
                var relative = resource[ResourcePrefix.Length..].Replace('\\', '/');
                var slash = relative.IndexOf('/', StringComparison.Ordinal);
                if (slash < 0 || !string.Equals(relative[..slash], folder, StringComparison.Ordinal))
                {
                    continue;
                }

                var name = relative[(slash + 1)..];
                var match = ScriptName().Match(name);
                if (!match.Success)
                {
                    throw new InvalidOperationException(
                        $"Schema script '{folder}/{name}' must be named NNN-words.sql (three digits, a dash, lower-case words).");
                }

                scripts.Add(new SchemaScript(int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), name, Read(assembly, resource)));
            }

            scripts.Sort((left, right) => left.Version.CompareTo(right.Version));
            for (var i = 1; i < scripts.Count; i++)
            {
                if (scripts[i].Version == scripts[i - 1].Version)
                {
                    throw new InvalidOperationException(
                        $"Schema scripts '{folder}/{scripts[i - 1].Name}' and '{folder}/{scripts[i].Name}' share version {scripts[i].Version}.");
                }
            }

            result[provider] = scripts;
        }

        return result;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' could not be opened.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>\d{3})-[a-z0-9]+(-[a-z0-9]+)*\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptName();
}
