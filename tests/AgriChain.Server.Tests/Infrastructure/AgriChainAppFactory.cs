using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AgriChain.Server.Tests.Infrastructure;

/// <summary>
/// The real host (silo, storage, HTTP pipeline) on a temporary SQLite file, with private silo and gateway ports.
/// Several factories may share one <see cref="DataDirectory"/> one after another, as a restarted server would.
/// </summary>
public sealed class AgriChainAppFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    /// <param name="dataDirectory">A data directory to reuse (a restart), or null for a fresh one.</param>
    /// <param name="allowPrivateWebhooks">
    /// Whether webhooks may point at 127.0.0.1, where the tests' receivers listen (the server's default refuses that).
    /// </param>
    public AgriChainAppFactory(string? dataDirectory = null, bool allowPrivateWebhooks = true)
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("agrichain-http-").FullName;
        _allowPrivateWebhooks = allowPrivateWebhooks;
    }

    private readonly bool _allowPrivateWebhooks;

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "agrichain.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Cluster:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Cluster:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:AdminKeys:0", AdminKey);
        builder.UseSetting("Webhooks:AllowPrivateNetworks", _allowPrivateWebhooks ? "true" : "false");
    }

    /// <summary>A client presenting <paramref name="key"/> (none when null).</summary>
    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>Issues a key through the API, as an admin would.</summary>
    public async Task<string> IssueKeyAsync(object request)
    {
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<IssuedKey>();
        return issued!.Key;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record IssuedKey(string Id, string Key);
}
