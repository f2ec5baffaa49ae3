using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Notifications;

/// <summary>From IAlertPublisher through the outbox and the named HTTP client to a real receiver.</summary>
[Collection(AppCollection.Name)]
public sealed class WebhookDeliveryTests(AppFixture fixture)
{
    private const string Secret = "whsec-delivery-0123456789";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private readonly AgriChainAppFactory _app = fixture.App;

    [Fact]
    public async Task PublishedAlert_IsPostedSignedToTheCooperativesWebhook()
    {
        await using var receiver = await KestrelReceiver.StartAsync(_ => 200);
        using var admin = _app.Admin();
        var coop = await Seed.CooperativeAsync(admin);
        var farm = await Seed.FarmAsync(admin, coop);
        var put = await admin.PutAsJsonAsync($"/api/v1/cooperatives/{coop}/webhooks/ops", new { url = receiver.Url("ops"), secret = Secret });
        put.EnsureSuccessStatusCode();
        var opened = AlertEvents.Opened(coop, farm);

        await _app.Services.GetRequiredService<IAlertPublisher>().PublishAsync([opened]);
        var delivery = await receiver.NextAsync(Deadline);

        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), delivery.Body));
        Assert.Equal(expected, delivery.Headers["X-AgriChain-Signature"]);
        Assert.Equal("alert.opened", delivery.Headers["X-AgriChain-Event"]);
        Assert.Equal(opened.EventId, delivery.Headers["X-AgriChain-Delivery"]);
        Assert.True(long.TryParse(delivery.Headers["X-AgriChain-Timestamp"], out _));
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal(opened.EventId, body.RootElement.GetProperty("id").GetString());
        Assert.Equal(farm, body.RootElement.GetProperty("data").GetProperty("farmId").GetString());
    }

    [Fact]
    public async Task AlertOfAnotherCooperative_IsNotPostedToThisWebhook()
    {
        await using var receiver = await KestrelReceiver.StartAsync(_ => 200);
        using var admin = _app.Admin();
        var coop = await Seed.CooperativeAsync(admin);
        var other = await Seed.CooperativeAsync(admin);
        await admin.PutAsJsonAsync($"/api/v1/cooperatives/{coop}/webhooks/ops", new { url = receiver.Url("ops"), secret = Secret });
        var own = AlertEvents.Opened(coop, "farm-a");

        var publisher = _app.Services.GetRequiredService<IAlertPublisher>();
        await publisher.PublishAsync([AlertEvents.Opened(other, "farm-b")]);
        await publisher.PublishAsync([own]);

        Assert.Equal(own.EventId, (await receiver.NextAsync(Deadline)).Headers["X-AgriChain-Delivery"]);
    }
}
