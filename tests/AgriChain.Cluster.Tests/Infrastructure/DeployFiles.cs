using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>Reads the files under deploy/ the way their tools do: YAML (with merge keys), JSON, the Dockerfile.</summary>
public static partial class DeployFiles
{
    /// <summary>The documents of a YAML file (one per <c>---</c>), with <c>&lt;&lt;: *anchor</c> merges applied.</summary>
    public static IReadOnlyList<YamlMappingNode> Yaml(params string[] path)
    {
        using var reader = new StreamReader(Repository.Deploy(path));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode)).ToList();
    }

    public static JsonElement Json(params string[] path) =>
        JsonDocument.Parse(File.ReadAllText(Repository.Deploy(path))).RootElement.Clone();

    public static string Text(params string[] path) => File.ReadAllText(Repository.Deploy(path));

    /// <summary>The child at <paramref name="key"/>, failing with the path when it is missing.</summary>
    public static YamlNode At(this YamlNode node, params string[] keys)
    {
        var current = node;
        foreach (var key in keys)
        {
            var mapping = Assert.IsType<YamlMappingNode>(current);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var child), $"Missing '{key}' (path {string.Join(".", keys)}).");
            current = child!;
        }

        return current;
    }

    public static YamlNode? Find(this YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static string Scalar(this YamlNode node, params string[] keys) =>
        Assert.IsType<YamlScalarNode>(node.At(keys)).Value ?? "";

    public static IReadOnlyList<YamlNode> Sequence(this YamlNode node, params string[] keys) =>
        [.. Assert.IsType<YamlSequenceNode>(node.At(keys)).Children];

    public static IReadOnlyDictionary<string, string> Map(this YamlNode node, params string[] keys) =>
        Assert.IsType<YamlMappingNode>(node.At(keys)).Children.ToDictionary(
            c => ((YamlScalarNode)c.Key).Value!, c => c.Value is YamlScalarNode s ? s.Value ?? "" : "", StringComparer.Ordinal);

    /// <summary>
    /// Environment variables as configuration keys (<c>Storage__Provider</c> → <c>Storage:Provider</c>), with compose
    /// interpolations (<c>${NAME:?message}</c>) replaced by a stand-in value.
    /// </summary>
    public static Dictionary<string, string?> AsConfiguration(IEnumerable<KeyValuePair<string, string>> environment) =>
        environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal),
            e => (string?)Interpolation().Replace(e.Value, m => $"stand-in-{m.Groups["name"].Value.ToLowerInvariant()}-0123456789abcdef"),
            StringComparer.OrdinalIgnoreCase);

    /// <summary>The metric names a PromQL expression reads (label matchers and grouping labels left out).</summary>
    public static IReadOnlySet<string> MetricsIn(string expression) =>
        MetricName().Matches(Labels().Replace(expression, " ")).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)(:?[-?][^}]*)?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"\{[^}]*\}|\b(by|without)\s*\([^)]*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Labels();

    [GeneratedRegex(@"\b(agrichain|orleans|http|dotnet|kestrel|aspnetcore)_[a-z0-9_]+\b", RegexOptions.CultureInvariant)]
    private static partial Regex MetricName();
}
