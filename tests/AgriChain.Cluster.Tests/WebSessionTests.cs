using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgriChain.Cluster.Tests.Infrastructure;
using AgriChain.Server.Web;
using AgriChain.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.KeyManagement.Internal;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgriChain.Cluster.Tests;

/// <summary>
/// The web pages behind a load balancer: the silos share one Data Protection key ring in PostgreSQL, so a session
/// cookie or a form issued by one silo is accepted by every other.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class WebSessionTests(ClusterEnvironment environment)
{
    [Fact]
    public async Task SessionAndForms_IssuedBySilo1_AreAcceptedBySilos2And3()
    {
        var cluster = await environment.SharedClusterAsync();
        var (silo1, silo2, silo3) = (cluster.Silos[0], cluster.Silos[1], cluster.Silos[2]);
        var key = await IssueCooperativeKeyAsync(silo1);

        using var browser = new Browser();
        var signIn = await browser.PostFormAsync(silo1, "/signin", await browser.FormTokenAsync(silo1, "/signin"), new() { ["_handler"] = "signin", ["Key"] = key });
        Assert.True(signIn.StatusCode == HttpStatusCode.Redirect && RedirectPath(silo1, signIn) == "/",
            $"Sign-in on silo 1 answered {(int)signIn.StatusCode} {signIn.Headers.Location}: {await signIn.Content.ReadAsStringAsync()}");
        var session = browser.Cookies[WebAuth.CookieName];

        foreach (var silo in new[] { silo2, silo3 })
        {
            var (status, html) = await browser.GetAsync(silo, "/");
            Assert.True(status == HttpStatusCode.OK, $"{silo.Name} refused the session of silo 1: GET / answered {(int)status}.\n{cluster.Diagnostics()}");
            Assert.Contains("<span class=\"who\">cooperative</span>", html, StringComparison.Ordinal);
        }

        // A sign-in form of silo 1 posted to silo 2 (antiforgery cookie and token made by silo 1).
        using (var other = new Browser())
        {
            var token = await other.FormTokenAsync(silo1, "/signin");
            var posted = await other.PostFormAsync(silo2, "/signin", token, new() { ["_handler"] = "signin", ["Key"] = key });
            Assert.True(posted.StatusCode == HttpStatusCode.Redirect,
                $"Silo 2 refused the sign-in form of silo 1: {(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
            Assert.True(other.Cookies.ContainsKey(WebAuth.CookieName), "Silo 2 opened no session.");
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(silo3, "/")).Status);
        }

        // The sign-out form on a page of silo 1, posted to silo 2.
        var signOut = await browser.PostFormAsync(silo2, "/signout", await browser.FormTokenAsync(silo1, "/"), []);
        Assert.True(signOut.StatusCode == HttpStatusCode.Redirect && RedirectPath(silo2, signOut) == "/signin",
            $"Silo 2 refused the sign-out form of silo 1: {(int)signOut.StatusCode} {signOut.Headers.Location}");

        // The three silos, started together on a new database, made one key between them, and it is in the table.
        var (name, xml) = Assert.Single(await StoredKeysAsync(cluster.ConnectionString));
        var keyId = KeyIdOf(session);
        Assert.Equal($"key-{keyId:D}", name);
        Assert.Equal(keyId, Guid.Parse(XElement.Parse(xml).Attribute("id")!.Value));
    }

    [Fact]
    public async Task KeyRepository_OnPostgreSql_ServesTwoHosts_AndNeverOverwritesAStoredElement()
    {
        var connectionString = await environment.Postgres.CreateDatabaseAsync("keys");
        await using var database = new AgriChainDatabase(new StorageOptions { Provider = "PostgreSql", ConnectionString = connectionString });
        var repository = new DatabaseKeyRepository(database, TimeProvider.System, NullLogger<DatabaseKeyRepository>.Instance);

        var missing = Assert.Throws<InvalidOperationException>(repository.GetAllElements);
        Assert.Contains("deploy/sql/postgresql/008-data-protection.sql", missing.Message, StringComparison.Ordinal);

        await database.ApplySchemaAsync(CancellationToken.None);
        Assert.Empty(repository.GetAllElements());

        // Two Data Protection stacks, as two hosts have, each with its own repository on the table: the first makes
        // and stores a key as it protects, the second reads it back to unprotect.
        await using (var protecting = DataProtection(repository))
        await using (var unprotecting = DataProtection(new DatabaseKeyRepository(database, TimeProvider.System, NullLogger<DatabaseKeyRepository>.Instance)))
        {
            var payload = protecting.GetDataProtector("web").Protect("session of silo 1");
            Assert.Equal("session of silo 1", unprotecting.GetDataProtector("web").Unprotect(payload));

            var key = Assert.Single(repository.GetAllElements());
            Assert.Equal("key", key.Name.LocalName);
            Assert.Equal(KeyIdOf(payload), Guid.Parse(key.Attribute("id")!.Value));
        }

        // Stored once per name: offering the key's name again changes nothing; another name adds a row after it.
        var stored = Assert.Single(repository.GetAllElements());
        var name = $"key-{stored.Attribute("id")!.Value}";
        repository.StoreElement(new XElement("key", new XAttribute("id", Guid.NewGuid()), new XElement("value", "overwritten")), name);
        var note = new XElement("note", new XAttribute("id", "2f1d0c8e-5a3b-4e61-8c0a-7d9e6b5a4c01"), "kept as given");
        repository.StoreElement(note, "note-1");

        var elements = repository.GetAllElements().ToList();
        Assert.Equal(2, elements.Count);
        Assert.True(XNode.DeepEquals(stored, elements[0]), elements[0].ToString());
        Assert.True(XNode.DeepEquals(note, elements[1]), elements[1].ToString());
        Assert.Equal(new[] { name, "note-1" }, (await StoredKeysAsync(connectionString)).Select(row => row.Name));
    }

    [Fact]
    public async Task HostsStartingTogetherOnANewDatabase_MakeOneKeyBetweenThem()
    {
        var connectionString = await environment.Postgres.CreateDatabaseAsync("keyring");
        await using var database = new AgriChainDatabase(new StorageOptions { Provider = "PostgreSql", ConnectionString = connectionString });
        await database.ApplySchemaAsync(CancellationToken.None);
        var hosts = Enumerable.Range(0, 4)
            .Select(_ => DataProtection(new DatabaseKeyRepository(database, TimeProvider.System, NullLogger<DatabaseKeyRepository>.Instance)))
            .ToList();
        try
        {
            // What each silo does as it starts, all at once.
            await Task.WhenAll(hosts.Select(host =>
                Task.Run(() => new KeyRingStartup(host.GetRequiredService<IKeyRingProvider>(), database).LoadAsync(CancellationToken.None))));

            var (name, _) = Assert.Single(await StoredKeysAsync(connectionString));
            foreach (var host in hosts)
            {
                Assert.Equal(name, $"key-{KeyIdOf(host.GetDataProtector("web").Protect("session")):D}");
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static ServiceProvider DataProtection(DatabaseKeyRepository repository)
    {
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(WebSetup.DataProtectionApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = repository);
        return services.BuildServiceProvider();
    }

    /// <summary>The path a redirect leads to on <paramref name="silo"/> (pages redirect with absolute or relative addresses).</summary>
    private static string? RedirectPath(SiloProcess silo, HttpResponseMessage response) =>
        response.Headers.Location is { } location ? new Uri(silo.BaseAddress, location).AbsolutePath : null;

    private static async Task<string> IssueCooperativeKeyAsync(SiloProcess silo)
    {
        using var admin = SiloCluster.Http(silo);
        var cooperativeId = await Api.CooperativeAsync(admin);
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "cooperative", cooperativeId, label = "web" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /api/v1/api-keys answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("key").GetString()!;
    }

    private static async Task<List<(string Name, string Xml)>> StoredKeysAsync(string connectionString)
    {
        var rows = new List<(string, string)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT friendly_name, xml FROM agrichain_data_protection_keys ORDER BY friendly_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>The Data Protection key a protected value was made with: after the magic header 0x09F0C9F0 comes the key's id.</summary>
    private static Guid KeyIdOf(string protectedValue) => KeyIdOf(WebEncoders.Base64UrlDecode(protectedValue));

    private static Guid KeyIdOf(byte[] payload)
    {
        Assert.True(payload.Length > 20 && BinaryPrimitives.ReadUInt32BigEndian(payload) == 0x09F0C9F0, "Not a Data Protection payload.");
        return new Guid(payload.AsSpan(4, 16));
    }

    /// <summary>
    /// A browser in front of the silos, as a load balancer would spread its requests: it keeps its cookies itself and
    /// sends them to every silo. (The silos speak plain HTTP here, and the session cookie is Secure because TLS ends at
    /// the proxy in production, so HttpClient's own cookie container would hold it back.)
    /// </summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(90) };

        public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

        public async Task<(HttpStatusCode Status, string Html)> GetAsync(SiloProcess silo, string path)
        {
            using var response = await SendAsync(silo, HttpMethod.Get, path, null);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>The antiforgery token of the first form on <paramref name="path"/> of <paramref name="silo"/>.</summary>
        public async Task<string> FormTokenAsync(SiloProcess silo, string path)
        {
            var (status, html) = await GetAsync(silo, path);
            Assert.True(status == HttpStatusCode.OK, $"GET {path} on {silo.Name} answered {(int)status}.");
            var token = TokenPattern().Match(html);
            Assert.True(token.Success, $"No antiforgery token on {path} of {silo.Name}.");
            return WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        public Task<HttpResponseMessage> PostFormAsync(SiloProcess silo, string path, string token, Dictionary<string, string> fields)
        {
            fields["__RequestVerificationToken"] = token;
            return SendAsync(silo, HttpMethod.Post, path, new FormUrlEncodedContent(fields));
        }

        public void Dispose() => _http.Dispose();

        private async Task<HttpResponseMessage> SendAsync(SiloProcess silo, HttpMethod method, string path, HttpContent? content)
        {
            using var request = new HttpRequestMessage(method, new Uri(silo.BaseAddress, path)) { Content = content };
            request.Headers.AcceptLanguage.ParseAdd("en");
            if (Cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await _http.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';', 2)[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                if (value.Length == 0)
                {
                    Cookies.Remove(name);
                }
                else
                {
                    Cookies[name] = value;
                }
            }

            return response;
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
