using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgriChain.Contracts.Traceability;
using AgriChain.Domain.Common;
using AgriChain.Domain.Traceability;
using AgriChain.Server.Api.Traceability;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Traceability;

[Collection(AppCollection.Name)]
public sealed partial class CertificateEndpointTests(AppFixture fixture)
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly HttpClient _admin = fixture.App.Admin();

    [Fact]
    public async Task Certificate_ShowsTheParticularsTheCommitmentAndTheTraceCode()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);

        var before = Today();
        var response = await _admin.GetAsync($"/api/v1/batches/{traced.BatchId}/certificate");
        var after = Today();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>承诺达标合格证</h1>", page, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4 portrait;", page, StringComparison.Ordinal);
        Assert.Contains("@media print", page, StringComparison.Ordinal);
        Assert.Contains(Row("产品名称", "Product", "nectarine"), page, StringComparison.Ordinal);
        Assert.Contains(Row("数量（重量）", "Quantity", "7431 kg（千克）"), page, StringComparison.Ordinal);
        Assert.Contains(Row("生产者", "Producer", PublicTraceSeed.CooperativeName), page, StringComparison.Ordinal);
        Assert.Contains(Row("联系方式", "Contact", PublicTraceSeed.Contact), page, StringComparison.Ordinal);
        Assert.Contains(Row("产地", "Origin",
            $"{PublicTraceSeed.County} {PublicTraceSeed.Township} {PublicTraceSeed.Village} · {PublicTraceSeed.FarmName}"), page, StringComparison.Ordinal);
        Assert.Contains(Row("追溯码", "Trace code", $"<span class=\"code\">{traced.BatchId}</span>"), page, StringComparison.Ordinal);
        Assert.True(page.Contains(Row("开具日期", "Date of issue", before), StringComparison.Ordinal)
            || page.Contains(Row("开具日期", "Date of issue", after), StringComparison.Ordinal),
            $"The certificate should be dated {before} (today in Shanghai).");
        Assert.Contains(CertificatePage.CommitmentZh, page, StringComparison.Ordinal);
        Assert.Contains(CertificatePage.CommitmentEn.Replace("'", "&#39;", StringComparison.Ordinal), page, StringComparison.Ordinal);
        Assert.Contains("☐ 检测合格", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store, private", string.Join(", ", response.Headers.CacheControl!.ToString().Split(", ").Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Certificate_QrCodeEncodesTheExactPublicUrl()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        var expected = $"http://localhost/trace/{traced.BatchId}";

        var page = await _admin.GetStringAsync($"/api/v1/batches/{traced.BatchId}/certificate");

        var svg = SvgElement().Match(page);
        Assert.True(svg.Success, "The certificate should carry the QR code as inline <svg>.");
        // QR encoding is deterministic: the code on the page is the one for this URL and for no other.
        Assert.Equal(CertificateQrCode.Svg(expected), svg.Value);
        Assert.NotEqual(CertificateQrCode.Svg($"http://localhost/trace/{traced.BatchId}x"), svg.Value);
        Assert.Contains(expected, page, StringComparison.Ordinal);

        // The encoded URL is the public page, which answers without a key.
        using var anonymous = fixture.App.ClientWithKey(null);
        var publicPage = await anonymous.GetAsync(new Uri(expected).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, publicPage.StatusCode);
    }

    [Fact]
    public async Task Certificate_IgnoresForwardedHeadersTheHostWasNotToldToTrust()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/batches/{traced.BatchId}/certificate");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        var page = await (await _admin.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Equal(CertificateQrCode.Svg($"http://localhost/trace/{traced.BatchId}"), SvgElement().Match(page).Value);
        Assert.DoesNotContain("evil.example", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_ReadableByTheOwningCooperativeAndABuyerItWasShippedTo()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        var buyer = await Seed.BuyerAsync(_admin);
        var otherBuyer = await Seed.BuyerAsync(_admin);
        await PublicTraceSeed.EventAsync(_admin, traced.BatchId, new
        {
            id = "ship-1", type = "shipped", at = PublicTraceSeed.Iso(PublicTraceSeed.InspectedAt), buyerId = buyer, quantity = 1000,
        });

        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(new { role = "cooperative", cooperativeId = traced.CooperativeId, label = "own" }, traced.BatchId));
        Assert.Equal(HttpStatusCode.OK, await StatusWithKeyAsync(new { role = "buyer", buyerId = buyer, label = "shipped to" }, traced.BatchId));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusWithKeyAsync(new { role = "buyer", buyerId = otherBuyer, label = "not shipped to" }, traced.BatchId));
    }

    [Fact]
    public async Task Certificate_ForAnotherCooperative_Is403()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        var other = await PublicTraceSeed.CooperativeAsync(_admin);

        var status = await StatusWithKeyAsync(new { role = "cooperative", cooperativeId = other, label = "other" }, traced.BatchId);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Certificate_ForATechnicianOfTheFarm_Is403()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);

        var status = await StatusWithKeyAsync(new { role = "technician", farmIds = new[] { traced.FarmId }, label = "tech" }, traced.BatchId);

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Certificate_WithoutAKey_Is401()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        using var anonymous = fixture.App.ClientWithKey(null);

        var response = await anonymous.GetAsync($"/api/v1/batches/{traced.BatchId}/certificate");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Certificate_OfAnUnknownBatch_Is404Problem()
    {
        var id = Seed.NewId("nobatch");

        var response = await _admin.GetAsync($"/api/v1/batches/{id}/certificate");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal($"There is no batch '{id}'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Certificate_OfAProcessedBatch_GivesTheFirstOriginUpstream()
    {
        var made = await PublicTraceSeed.PersimmonWineAsync(_admin, fixture.App.Services.GetRequiredService<IGrainFactory>());

        var page = await _admin.GetStringAsync($"/api/v1/batches/{made.WineId}/certificate");

        Assert.Contains(Row("产品名称", "Product", "persimmon-wine"), page, StringComparison.Ordinal);
        Assert.Contains(Row("数量（重量）", "Quantity", "300 L（升）"), page, StringComparison.Ordinal);
        Assert.Contains(Row("产地", "Origin",
            $"{PublicTraceSeed.County} {PublicTraceSeed.Township} {PublicTraceSeed.Village} · {PublicTraceSeed.OrchardName}"), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_OfABatchWithNoOriginAnywhere_GivesTheProducersPlace()
    {
        var coop = await PublicTraceSeed.CooperativeAsync(_admin, village: "Nanguan 南关村");
        var batch = Seed.NewId("batch");
        await PublicTraceSeed.CreateBatchAsync(_admin, new { id = batch, product = "egg", quantity = 360, unit = "egg", ownerId = coop });

        var page = await _admin.GetStringAsync($"/api/v1/batches/{batch}/certificate");

        Assert.Contains(Row("产地", "Origin", $"{PublicTraceSeed.County} {PublicTraceSeed.Township} Nanguan 南关村"), page, StringComparison.Ordinal);
        Assert.Contains(Row("数量（重量）", "Quantity", "360 egg（枚）"), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_AfterAPassedInspection_TicksTheTestAsBasis()
    {
        var traced = await PublicTraceSeed.HarvestAsync(_admin);
        await PublicTraceSeed.EventAsync(_admin, traced.BatchId, new
        {
            id = "inspection-1", type = "inspected", at = PublicTraceSeed.Iso(PublicTraceSeed.InspectedAt), result = "passed",
        });

        var page = await _admin.GetStringAsync($"/api/v1/batches/{traced.BatchId}/certificate");

        Assert.Contains("☑ 检测合格 <span class=\"en\">passed inspection</span>（2025年6月14日 · 2025-06-14）", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_EscapesEveryRecordedValue()
    {
        var coop = await PublicTraceSeed.CooperativeAsync(_admin, name: "Co-op <img src=x onerror=alert(1)>", contact: "<script>alert(2)</script>");
        var batch = Seed.NewId("batch");
        var grains = fixture.App.Services.GetRequiredService<IGrainFactory>();
        var created = await grains.GetGrain<IBatchGrain>(batch).CreateAsync(
            new BatchSpec("<script>alert(3)</script>", 12m, "box", null, coop, null), "test");
        Assert.Equal(UpsertOutcome.Created, created.Outcome);

        var page = await _admin.GetStringAsync($"/api/v1/batches/{batch}/certificate");

        Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Row("产品名称", "Product", "&lt;script&gt;alert(3)&lt;/script&gt;"), page, StringComparison.Ordinal);
        Assert.Contains(Row("生产者", "Producer", "Co-op &lt;img src=x onerror=alert(1)&gt;"), page, StringComparison.Ordinal);
        Assert.Contains(Row("联系方式", "Contact", "&lt;script&gt;alert(2)&lt;/script&gt;"), page, StringComparison.Ordinal);
    }

    private async Task<HttpStatusCode> StatusWithKeyAsync(object key, string batchId)
    {
        using var client = fixture.App.ClientWithKey(await fixture.App.IssueKeyAsync(key));
        return (await client.GetAsync($"/api/v1/batches/{batchId}/certificate")).StatusCode;
    }

    private static string Row(string zh, string en, string value) =>
        $"<tr><th>{zh}<span class=\"en\">{en}</span></th><td>{value}</td></tr>";

    private static string Row(string zh, string en, DateOnly date) =>
        Row(zh, en, $"{date.Year}年{date.Month}月{date.Day}日 · {date:yyyy-MM-dd}");

    private static DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).DateTime);

    [GeneratedRegex("<svg[^>]*>.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
}
