using System.Net;
using System.Text.Json;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Notifications;

[Collection(AppCollection.Name)]
public sealed class AlertStreamTests(AppFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly AgriChainAppFactory _app = fixture.App;
    private World _w = null!;

    private sealed record World(string CoopA, string CoopB, string FarmA, string FarmA2, string FarmB, string CoopAKey,
        string TechAKey, string BuyerKey);

    private IAlertPublisher Publisher => _app.Services.GetRequiredService<IAlertPublisher>();

    public async Task InitializeAsync()
    {
        using var admin = _app.Admin();
        var coopA = await Seed.CooperativeAsync(admin);
        var coopB = await Seed.CooperativeAsync(admin);
        var farmA = await Seed.FarmAsync(admin, coopA);
        var farmA2 = await Seed.FarmAsync(admin, coopA);
        var farmB = await Seed.FarmAsync(admin, coopB);
        var buyer = await Seed.BuyerAsync(admin);
        _w = new World(coopA, coopB, farmA, farmA2, farmB,
            await _app.IssueKeyAsync(new { role = "cooperative", cooperativeId = coopA, label = "office A" }),
            await _app.IssueKeyAsync(new { role = "technician", farmIds = new[] { farmA }, label = "tech A" }),
            await _app.IssueKeyAsync(new { role = "buyer", buyerId = buyer, label = "purchasing" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<SseStream> OpenAsync(HttpClient client)
    {
        var stream = await SseStream.OpenAsync(client, "/api/v1/alerts/stream");
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        return stream;
    }

    [Fact]
    public async Task CooperativeStream_CarriesItsAlerts_AsTheGenericWebhookBody()
    {
        using var client = _app.ClientWithKey(_w.CoopAKey);
        using var stream = await OpenAsync(client);
        var opened = AlertEvents.Opened(_w.CoopA, _w.FarmA);

        await Publisher.PublishAsync([opened]);
        var received = await stream.NextEventAsync(Deadline);

        Assert.Equal("alert.opened", received.Event);
        Assert.Equal(opened.EventId, received.Id);
        using var body = JsonDocument.Parse(received.Data);
        Assert.Equal(["id", "type", "at", "data"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(opened.EventId, body.RootElement.GetProperty("id").GetString());
        var data = body.RootElement.GetProperty("data");
        Assert.Equal(opened.Alert.Id, data.GetProperty("id").GetString());
        Assert.Equal(_w.CoopA, data.GetProperty("cooperativeId").GetString());
        Assert.Equal(_w.FarmA, data.GetProperty("farmId").GetString());
        Assert.Equal("temperature-below-floor", data.GetProperty("kind").GetString());
        Assert.Equal("flowering", data.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task CooperativeStream_DoesNotSeeAnotherCooperativesAlerts()
    {
        using var client = _app.ClientWithKey(_w.CoopAKey);
        using var stream = await OpenAsync(client);
        var own = AlertEvents.Opened(_w.CoopA, _w.FarmA);
        var closed = AlertEvents.Closed(_w.CoopA, _w.FarmA, own.Alert.Id);

        await Publisher.PublishAsync([AlertEvents.Opened(_w.CoopB, _w.FarmB)]);
        await Publisher.PublishAsync([own]);
        await Publisher.PublishAsync([AlertEvents.Opened(_w.CoopB, _w.FarmB)]);
        await Publisher.PublishAsync([closed]);

        Assert.Equal(own.EventId, (await stream.NextEventAsync(Deadline)).Id);
        var next = await stream.NextEventAsync(Deadline);
        Assert.Equal((closed.EventId, "alert.closed"), (next.Id, next.Event));
    }

    [Fact]
    public async Task RepublishedAlert_IsStreamedOnce()
    {
        using var client = _app.ClientWithKey(_w.CoopAKey);
        using var stream = await OpenAsync(client);
        var opened = AlertEvents.Opened(_w.CoopA, _w.FarmA);
        var closed = AlertEvents.Closed(_w.CoopA, _w.FarmA, opened.Alert.Id);

        await Publisher.PublishAsync([opened]);
        await Publisher.PublishAsync([opened]);
        await Publisher.PublishAsync([closed]);

        Assert.Equal(opened.EventId, (await stream.NextEventAsync(Deadline)).Id);
        Assert.Equal(closed.EventId, (await stream.NextEventAsync(Deadline)).Id);
    }

    [Fact]
    public async Task TechnicianStream_SeesOnlyTheFarmsOfItsKey()
    {
        using var client = _app.ClientWithKey(_w.TechAKey);
        using var stream = await OpenAsync(client);
        var onItsFarm = AlertEvents.Opened(_w.CoopA, _w.FarmA);

        await Publisher.PublishAsync([AlertEvents.Opened(_w.CoopA, _w.FarmA2), onItsFarm]);

        Assert.Equal(onItsFarm.EventId, (await stream.NextEventAsync(Deadline)).Id);
    }

    [Fact]
    public async Task AdminStream_SeesEveryCooperative()
    {
        using var client = _app.Admin();
        using var stream = await OpenAsync(client);
        var a = AlertEvents.Opened(_w.CoopA, _w.FarmA);
        var b = AlertEvents.Opened(_w.CoopB, _w.FarmB);

        await Publisher.PublishAsync([a, b]);
        var seen = new[] { await stream.NextEventAsync(Deadline), await stream.NextEventAsync(Deadline) };

        Assert.Equal(new[] { a.EventId, b.EventId }.Order(StringComparer.Ordinal), seen.Select(e => e.Id!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task BuyerKey_Is403()
    {
        using var client = _app.ClientWithKey(_w.BuyerKey);
        var response = await client.GetAsync("/api/v1/alerts/stream");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NoKey_Is401()
    {
        using var client = _app.ClientWithKey(null);
        var response = await client.GetAsync("/api/v1/alerts/stream");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheStreamAndTheWebhookRoutes()
    {
        using var client = _app.ClientWithKey(null);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/v1/alerts/stream").GetProperty("get").GetProperty("responses")
            .GetProperty("200").GetProperty("content").TryGetProperty("text/event-stream", out _));
        Assert.Equal("PutCooperativeWebhook",
            paths.GetProperty("/api/v1/cooperatives/{id}/webhooks/{name}").GetProperty("put").GetProperty("operationId").GetString());
        Assert.True(paths.TryGetProperty("/api/v1/buyers/{id}/webhooks", out _));
    }
}
