using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Contracts.Greenhouses;
using AgriChain.Domain.Greenhouses;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Notifications;

/// <summary>A notification queued on SQLite outlives the host and is delivered by the next one.</summary>
public sealed class WebhookRestartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PendingNotification_IsDeliveredAfterARestart()
    {
        await using var receiver = await KestrelReceiver.StartAsync(n => n == 1 ? 503 : 200);
        var first = new AgriChainAppFactory();
        var directory = first.DataDirectory;
        try
        {
            string coop;
            AlertEvent opened;
            using (var admin = first.Admin())
            {
                coop = await Seed.CooperativeAsync(admin);
                var put = await admin.PutAsJsonAsync($"/api/v1/cooperatives/{coop}/webhooks/ops",
                    new { url = receiver.Url("ops"), secret = "whsec-restart-0123456789" });
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
                opened = AlertEvents.Opened(coop, "farm-a");
                await first.Services.GetRequiredService<IAlertPublisher>().PublishAsync([opened]);
            }

            Assert.Equal(503, (await receiver.NextAsync(Deadline)).Status);
            await first.DisposeAsync();

            await using var second = new AgriChainAppFactory(directory);
            using var client = second.Admin();
            var hook = await client.GetFromJsonAsync<JsonElement>($"/api/v1/cooperatives/{coop}/webhooks/ops");
            var retry = await receiver.NextAsync(Deadline);

            Assert.Equal(1, hook.GetProperty("delivery").GetProperty("pending").GetInt64());
            Assert.Equal(200, retry.Status);
            Assert.Equal(opened.EventId, retry.Headers["X-AgriChain-Delivery"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
