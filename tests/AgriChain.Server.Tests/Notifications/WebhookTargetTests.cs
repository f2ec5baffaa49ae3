using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Api;
using AgriChain.Server.Api.Notifications;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests.Notifications;

/// <summary>
/// A webhook URL is a request the server makes for a client: by default it may not reach loopback, private or
/// link-local addresses (the machine itself, the cloud's metadata service, the site's network).
/// </summary>
public sealed class WebhookTargetTests : IAsyncLifetime
{
    /// <summary>The server as shipped: private webhook targets refused.</summary>
    private readonly AgriChainAppFactory _app = new(allowPrivateWebhooks: false);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_app.DataDirectory, recursive: true);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void IsPublic_TellsPublicUnicastAddresses(string address, bool expected) =>
        Assert.Equal(expected, WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://localhost:8080/hook", true)]
    [InlineData("http://LOCALHOST./hook", true)]
    [InlineData("http://api.localhost/hook", true)]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    [InlineData("http://[::1]:5000/hook", true)]
    [InlineData("http://169.254.169.254/latest/meta-data", true)]
    [InlineData("http://10.0.0.8/hook", true)]
    [InlineData("https://hooks.example.org/agrichain", false)]
    [InlineData("https://8.8.8.8/hook", false)]
    public void NamesNonPublicHost_RefusesLiteralPrivateTargets(string url, bool expected) =>
        Assert.Equal(expected, WebhookTargets.NamesNonPublicHost(new Uri(url)));

    [Fact]
    public async Task RegisteringAWebhookOnALoopbackOrMetadataAddress_Is400NamingUrl_AndStoresNothing()
    {
        using var admin = _app.Admin();
        var coop = await Seed.CooperativeAsync(admin);
        foreach (var url in new[] { "http://127.0.0.1:9/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data" })
        {
            var response = await admin.PutAsJsonAsync($"/api/v1/cooperatives/{coop}/webhooks/inside",
                new { url, secret = "whsec-0123456789abcdef" });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("public address", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/cooperatives/{coop}/webhooks/inside")).StatusCode);
        var ok = await admin.PutAsJsonAsync($"/api/v1/cooperatives/{coop}/webhooks/outside",
            new { url = "https://hooks.example.org/agrichain", secret = "whsec-0123456789abcdef" });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }

    [Fact]
    public async Task DeliveryClient_RefusesToConnectToALoopbackReceiver_WhichAnAllowingServerReaches()
    {
        await using var receiver = await KestrelReceiver.StartAsync(_ => 200);
        // A host name, so the check at connection time is what refuses it (registration only sees literals).
        var byName = new UriBuilder(receiver.Url("probe")) { Host = "localhost" }.Uri;
        using var refusing = _app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(NotificationsApi.WebhookClientName);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => refusing.PostAsync(byName, new StringContent("{}")));
        Assert.Contains("public address", refused.Message, StringComparison.Ordinal);

        await using var allowing = new AgriChainAppFactory(allowPrivateWebhooks: true);
        try
        {
            using var client = allowing.Services.GetRequiredService<IHttpClientFactory>().CreateClient(NotificationsApi.WebhookClientName);
            using var delivered = await client.PostAsync(byName, new StringContent("{}"));
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            Assert.Equal("/hooks/probe", (await receiver.NextAsync(TimeSpan.FromSeconds(10))).Path);
        }
        finally
        {
            await allowing.DisposeAsync();
            Directory.Delete(allowing.DataDirectory, recursive: true);
        }
    }
}
