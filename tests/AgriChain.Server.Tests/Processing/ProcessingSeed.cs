using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests.Processing;

/// <summary>An orchard cooperative with persimmon batches, its key, and the persimmon-wine steps to record.</summary>
internal static class ProcessingSeed
{
    public const string OrchardName = "Xibeizhuang persimmon orchard";

    public sealed record Orchard(string Coop, string Farm, HttpClient Owner);

    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static async Task<Orchard> OrchardAsync(AgriChainAppFactory app, HttpClient admin)
    {
        var coop = await Seed.CooperativeAsync(admin);
        var farm = Seed.NewId("orchard");
        var put = await admin.PutAsJsonAsync($"/api/v1/farms/{farm}",
            new { name = OrchardName, cooperativeId = coop, village = "Xibeizhuang", township = "Dongzhen", county = "Wenxi", kind = "orchard" });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var key = await app.IssueKeyAsync(new { role = "cooperative", cooperativeId = coop, label = "winery office" });
        return new Orchard(coop, farm, app.ClientWithKey(key));
    }

    public static async Task<string> PersimmonsAsync(HttpClient client, Orchard orchard, decimal kg, string product = "persimmon")
    {
        var id = Seed.NewId("persimmon");
        var response = await client.PostAsJsonAsync("/api/v1/batches", new
        {
            id, product, quantity = kg, unit = "kg", grade = "a", ownerId = orchard.Coop,
            origin = new { farmId = orchard.Farm, harvestedAt = Iso(DateTimeOffset.UtcNow.AddDays(-90)), plot = "east slope" },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    public static object StartBody(string id, Orchard orchard, params (string BatchId, decimal Kg)[] inputs) => new
    {
        id,
        definitionId = "persimmon-wine",
        ownerId = orchard.Coop,
        inputs = inputs.Select(i => new { batchId = i.BatchId, quantity = i.Kg }).ToArray(),
    };

    public static async Task<string> StartedRunAsync(Orchard orchard, params (string BatchId, decimal Kg)[] inputs)
    {
        var id = Seed.NewId("run");
        var response = await orchard.Owner.PostAsJsonAsync("/api/v1/processing-runs", StartBody(id, orchard, inputs));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>The twelve persimmon-wine steps in order, with values inside every band but the fermentation temperature given.</summary>
    public static IReadOnlyList<(string Step, Dictionary<string, decimal> Parameters)> Steps(decimal fermentationC = 22m) =>
    [
        ("sorting-and-washing", []),
        ("removing-astringency", new() { ["temperatureC"] = 40m, ["hours"] = 24m }),
        ("destemming-and-crushing", new() { ["particleSizeMm"] = 3m, ["so2MgPerL"] = 60m, ["pectinasePct"] = 0.1m }),
        ("must-adjustment", new() { ["sugarPct"] = 20m, ["ph"] = 3.8m }),
        ("main-fermentation", new() { ["temperatureC"] = fermentationC, ["days"] = 12m, ["residualSugarGPerL"] = 3m }),
        ("pressing", new() { ["wineL"] = 470m }),
        ("secondary-fermentation-and-aging", new() { ["days"] = 30m }),
        ("fining-and-clarification", []),
        ("cold-stabilisation", []),
        ("filtration", []),
        ("bottling", new() { ["bottleSizeL"] = 0.5m, ["count"] = 900m }),
        ("sterilisation", new() { ["temperatureC"] = 65m, ["minutes"] = 30m }),
    ];

    /// <summary>Step <paramref name="index"/> of a run that began 60 days ago, one day per step.</summary>
    public static object StepBody(int index, string step, Dictionary<string, decimal> parameters)
    {
        var start = new DateTimeOffset(DateTimeOffset.UtcNow.Date, TimeSpan.Zero).AddDays(index - 60);
        return new { step, startedAt = Iso(start), endedAt = Iso(start.AddHours(6)), parameters };
    }

    public static async Task<JsonElement> RecordAsync(HttpClient client, string runId, int index, string step, Dictionary<string, decimal> parameters)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/processing-runs/{runId}/steps", StepBody(index, step, parameters));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{step}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task RecordAllAsync(HttpClient client, string runId, decimal fermentationC = 22m)
    {
        var steps = Steps(fermentationC);
        for (var i = 0; i < steps.Count; i++)
        {
            await RecordAsync(client, runId, i, steps[i].Step, steps[i].Parameters);
        }
    }

    public static object WineOutput(string batchId, decimal litres = 450m) =>
        new { outputs = new[] { new { batchId, product = "persimmon-wine", quantity = litres, unit = "L" } } };
}
