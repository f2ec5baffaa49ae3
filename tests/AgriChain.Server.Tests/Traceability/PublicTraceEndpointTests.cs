using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Traceability;

[Collection(AppCollection.Name)]
public sealed class PublicTraceEndpointTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Admin();
    private readonly HttpClient _anonymous = fixture.App.ClientWithKey(null);

    [Fact]
    public async Task PublicPage_WithoutAKey_ShowsOriginHarvestAndInspections()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        await PublicTraceSeed.EventAsync(_admin, traced.BatchId, new
        {
            id = "inspection-1", type = "inspected", at = PublicTraceSeed.Iso(PublicTraceSeed.InspectedAt), result = "passed",
        });

        var response = await _anonymous.GetAsync($"/trace/{traced.BatchId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>nectarine</h1>", page, StringComparison.Ordinal);
        Assert.Contains(PublicTraceSeed.FarmName, page, StringComparison.Ordinal);
        Assert.Contains(PublicTraceSeed.Village, page, StringComparison.Ordinal);
        Assert.Contains(PublicTraceSeed.CooperativeName, page, StringComparison.Ordinal);
        Assert.Contains($"<code>{traced.BatchId}</code>", page, StringComparison.Ordinal);
        // Harvested at 20:00 UTC on 11 June, which is the 12th in Shanghai; inspected 17:30 UTC on the 13th, the 14th there.
        Assert.Contains("采收日期 <span class=\"en\">Harvested</span>：2025年6月12日 · 2025-06-12", page, StringComparison.Ordinal);
        Assert.Contains("<li>2025年6月14日 · 2025-06-14 — 合格 · passed</li>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("2025-06-11", page, StringComparison.Ordinal);
        Assert.DoesNotContain("2025-06-13", page, StringComparison.Ordinal);
        // No stage was ever recorded for the greenhouse: nothing vouches for its conditions.
        Assert.Contains("Growing conditions were not verified by sensors.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cold night", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("recalled", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_AfterAShipment_ShowsNoBuyerQuantityOrOwner()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        var buyer = await Seed.BuyerAsync(_admin);
        await PublicTraceSeed.EventAsync(_admin, traced.BatchId, new
        {
            id = "ship-1", type = "shipped", at = PublicTraceSeed.Iso(PublicTraceSeed.InspectedAt), buyerId = buyer, quantity = 2718,
            location = "Taiyuan wholesale market", note = "truck 晋M-12345",
        });

        var page = await _anonymous.GetStringAsync($"/trace/{traced.BatchId}");

        Assert.Contains(PublicTraceSeed.FarmName, page, StringComparison.Ordinal);
        // The trace code is random hex and may happen to hold any of the digits looked for below.
        page = page.Replace(traced.BatchId, "<trace code>", StringComparison.Ordinal);
        foreach (var secret in new[] { buyer, "Fresh Mart", traced.CooperativeId, "7431", "2718", "4713", "Taiyuan", "晋M", PublicTraceSeed.Contact })
        {
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PublicPage_OfARecalledBatch_ShowsTheRecallNotice()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        var recall = await _admin.PostAsJsonAsync($"/api/v1/batches/{traced.BatchId}/recall", new { reason = "Residue above limit in lab test 2025-117" });
        Assert.Equal(HttpStatusCode.OK, recall.StatusCode);

        var page = await _anonymous.GetStringAsync($"/trace/{traced.BatchId}");

        Assert.Contains("<section class=\"recall\" role=\"alert\">", page, StringComparison.Ordinal);
        Assert.Contains("本产品已召回", page, StringComparison.Ordinal);
        Assert.Contains("This product has been recalled", page, StringComparison.Ordinal);
        Assert.Contains("Residue above limit in lab test 2025-117", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_ForAnUnknownBatch_Is404Html()
    {
        var response = await _anonymous.GetAsync($"/trace/{Seed.NewId("nobatch")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("Trace code not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_ForAMalformedCode_Is404HtmlWithTheCodeEscaped()
    {
        var response = await _anonymous.GetAsync("/trace/%3Cb%3EBAD");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<code>&lt;b&gt;BAD</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>BAD", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_EscapesAProductNameWithMarkup()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        var id = Seed.NewId("batch");
        var grains = fixture.App.Services.GetRequiredService<IGrainFactory>();
        var created = await grains.GetGrain<IBatchGrain>(id).CreateAsync(
            new BatchSpec("<script>alert('x')</script>", 5m, "kg", null, traced.CooperativeId,
                new BatchOrigin(traced.FarmId, traced.GreenhouseId, PublicTraceSeed.HarvestedAt)), "test");
        Assert.Equal(UpsertOutcome.Created, created.Outcome);

        var page = await _anonymous.GetStringAsync($"/trace/{id}");

        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</h1>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_OfAProcessedBatch_ShowsWhatItWasMadeFromAndWhere()
    {
        var made = await PublicTraceSeed.PersimmonWineAsync(_admin, fixture.App.Services.GetRequiredService<IGrainFactory>());

        var page = await _anonymous.GetStringAsync($"/trace/{made.WineId}");

        Assert.Contains("<h1>persimmon-wine</h1>", page, StringComparison.Ordinal);
        Assert.Contains($"<li>persimmon-wine ← <a href=\"/trace/{made.PersimmonId}\">persimmon</a></li>", page, StringComparison.Ordinal);
        Assert.Contains(PublicTraceSeed.OrchardName, page, StringComparison.Ordinal);
        Assert.Contains("2025-06-12", page, StringComparison.Ordinal);
        // Orchard produce has no greenhouse, so there are no conditions to report either way.
        Assert.DoesNotContain("Growing conditions", page, StringComparison.Ordinal);
        var withoutCodes = page.Replace(made.WineId, "", StringComparison.Ordinal).Replace(made.PersimmonId, "", StringComparison.Ordinal);
        Assert.DoesNotContain("300", withoutCodes, StringComparison.Ordinal);
        Assert.DoesNotContain("500", withoutCodes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_AfterAColdNightInBlossom_SaysSo()
    {
        var coop = await PublicTraceSeed.CooperativeAsync(_admin);
        var farm = await PublicTraceSeed.FarmAsync(_admin, coop);
        var gh = await Seed.GreenhouseAsync(_admin, farm);
        var t = DateTimeOffset.UtcNow.AddHours(-3);
        var start = new DateTimeOffset(t.Year, t.Month, t.Day, t.Hour, 0, 0, TimeSpan.Zero);
        var stage = await _admin.PutAsJsonAsync($"/api/v1/greenhouses/{gh}/stage", new { stage = "flowering", since = PublicTraceSeed.Iso(start) });
        Assert.Equal(HttpStatusCode.OK, stage.StatusCode);
        var readings = await _admin.PostAsJsonAsync($"/api/v1/greenhouses/{gh}/readings", new
        {
            readings = new[]
            {
                new { at = PublicTraceSeed.Iso(start.AddMinutes(10)), temperatureC = 12.0 },
                new { at = PublicTraceSeed.Iso(start.AddMinutes(20)), temperatureC = 6.5 },
                new { at = PublicTraceSeed.Iso(start.AddMinutes(30)), temperatureC = 12.0 },
            },
        });
        Assert.Equal(HttpStatusCode.OK, readings.StatusCode);
        var batch = Seed.NewId("batch");
        // Harvested at the last reading, so no later silence can fall inside the crop cycle.
        await PublicTraceSeed.CreateBatchAsync(_admin, new
        {
            id = batch, product = "nectarine", quantity = 40, unit = "kg", grade = "a", ownerId = coop,
            origin = new { farmId = farm, greenhouseId = gh, harvestedAt = PublicTraceSeed.Iso(start.AddMinutes(30)) },
        });

        var page = await _anonymous.GetStringAsync($"/trace/{batch}");

        Assert.Contains("During blossom the greenhouse had a cold night below the crop's minimum temperature", page, StringComparison.Ordinal);
        Assert.DoesNotContain("not verified by sensors", page, StringComparison.Ordinal);
    }
}

/// <summary>A batch harvested in a greenhouse, with the master data around it.</summary>
internal sealed record TracedBatch(string CooperativeId, string FarmId, string GreenhouseId, string BatchId);

/// <summary>Persimmon wine made from a harvest of persimmons, which is the only batch with an origin.</summary>
internal sealed record ProcessedBatch(string CooperativeId, string PersimmonId, string WineId);

/// <summary>Master data and batches for the certificate and public page tests, built through the API where it can be.</summary>
internal static class PublicTraceSeed
{
    public const string CooperativeName = "Xibeizhuang Fruit Co-op 西北庄果业合作社";
    public const string Contact = "Wang Fang 0359-7731046";
    public const string Village = "Xibeizhuang 西北庄村";
    public const string Township = "Dongzhen 东镇";
    public const string County = "Wenxi 闻喜县";
    public const string FarmName = "Peach Valley 桃谷园";
    public const string OrchardName = "Persimmon Hill 柿子岭";
    public const decimal Quantity = 7431m;

    /// <summary>20:00 UTC on 11 June: already 12 June in Shanghai.</summary>
    public static readonly DateTimeOffset HarvestedAt = new(2025, 6, 11, 20, 0, 0, TimeSpan.Zero);

    /// <summary>17:30 UTC on 13 June: 14 June in Shanghai.</summary>
    public static readonly DateTimeOffset InspectedAt = new(2025, 6, 13, 17, 30, 0, TimeSpan.Zero);

    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static async Task<string> CooperativeAsync(HttpClient admin, string name = CooperativeName, string? contact = Contact,
        string village = Village)
    {
        var id = Seed.NewId("coop");
        await PutAsync(admin, $"/api/v1/cooperatives/{id}", new { name, village, township = Township, county = County, contact });
        return id;
    }

    public static async Task<string> FarmAsync(HttpClient admin, string cooperativeId, string name = FarmName, string kind = "greenhouse")
    {
        var id = Seed.NewId("farm");
        await PutAsync(admin, $"/api/v1/farms/{id}", new { name, cooperativeId, village = Village, township = Township, county = County, kind });
        return id;
    }

    /// <summary>A cooperative with a contact, its farm and greenhouse, and a harvest of 7431 kg of nectarines.</summary>
    public static async Task<TracedBatch> HarvestAsync(HttpClient admin)
    {
        var coop = await CooperativeAsync(admin);
        var farm = await FarmAsync(admin, coop);
        var gh = await Seed.GreenhouseAsync(admin, farm);
        var batch = Seed.NewId("batch");
        await CreateBatchAsync(admin, new
        {
            id = batch, product = "nectarine", quantity = Quantity, unit = "kg", grade = "a", ownerId = coop,
            origin = new { farmId = farm, greenhouseId = gh, harvestedAt = Iso(HarvestedAt) },
        });
        return new TracedBatch(coop, farm, gh, batch);
    }

    /// <summary>
    /// 500 kg of orchard persimmons turned into 300 L of wine. Processing runs have no API yet, so the transformation
    /// goes through the batch operation grain as a run will.
    /// </summary>
    public static async Task<ProcessedBatch> PersimmonWineAsync(HttpClient admin, IGrainFactory grains)
    {
        var coop = await CooperativeAsync(admin);
        var orchard = await FarmAsync(admin, coop, OrchardName, "orchard");
        var persimmons = Seed.NewId("batch");
        await CreateBatchAsync(admin, new
        {
            id = persimmons, product = "persimmon", quantity = 500, unit = "kg", grade = "a", ownerId = coop,
            origin = new { farmId = orchard, harvestedAt = Iso(HarvestedAt) },
        });
        var wine = Seed.NewId("batch");
        var result = await grains.GetGrain<IBatchOperationGrain>(Seed.NewId("run")).RunAsync(new OperationPlan(
            EdgeKind.Transform,
            [new OperationInput(persimmons, 500m)],
            [new OperationOutput(wine, new BatchSpec("persimmon-wine", 300m, "L", null, coop, null))],
            "test"));
        Assert.Equal(OperationStatus.Completed, result.Status);
        return new ProcessedBatch(coop, persimmons, wine);
    }

    public static async Task CreateBatchAsync(HttpClient admin, object body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/batches", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"POST /api/v1/batches answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task EventAsync(HttpClient admin, string batchId, object body)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/batches/{batchId}/events", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"POST /api/v1/batches/{batchId}/events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task PutAsync(HttpClient admin, string path, object body)
    {
        var response = await admin.PutAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
