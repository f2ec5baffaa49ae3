using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgriChain.Domain.Tests.Epcis;

/// <summary>
/// GS1's example documents, copied unchanged from shared/epcis/examples into this folder so that the tests need nothing
/// outside the repository (CI lays shared/ beside the clone, a developer's checkout may not). Found from the test's
/// output folder by walking up to the solution.
/// </summary>
public static class EpcisTestData
{
    public static string ExamplesFolder
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AgriChain.sln")))
            {
                folder = folder.Parent;
            }

            Assert.NotNull(folder);
            return Path.Combine(folder.FullName, "tests", "AgriChain.Domain.Tests", "Epcis", "Examples");
        }
    }

    public static IEnumerable<string> ExampleNames =>
        Directory.GetFiles(ExamplesFolder, "*.jsonld").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static TheoryData<string> Examples => new(ExampleNames);

    public static string Read(string name) => File.ReadAllText(Path.Combine(ExamplesFolder, name));

    public static JsonObject Node(string name) => JsonNode.Parse(Read(name))!.AsObject();

    public static JsonDocument Document(string json) => JsonDocument.Parse(json);
}
