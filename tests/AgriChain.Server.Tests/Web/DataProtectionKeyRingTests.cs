using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AgriChain.Server.Tests.Infrastructure;
using AgriChain.Server.Web;
using AgriChain.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgriChain.Server.Tests.Web;

/// <summary>
/// The key ring behind the session cookie and the antiforgery tokens lives in the host's database: a host restarted
/// on the same SQLite file accepts what the previous one issued, and the keys are rows of
/// <c>agrichain_data_protection_keys</c>.
/// </summary>
public sealed partial class DataProtectionKeyRingTests
{
    private static readonly Uri Site = new("https://localhost");

    [Fact]
    public async Task SessionAndForms_IssuedBeforeARestart_AreAcceptedAfterIt_WithTheKeyInTheDatabase()
    {
        var first = new AgriChainAppFactory();
        var directory = first.DataDirectory;
        var signedIn = new CookieContainer();
        var anonymous = new CookieContainer();
        try
        {
            string key, session, signOutToken, signInToken;
            using (var admin = first.Admin())
            {
                var cooperativeId = await Seed.CooperativeAsync(admin);
                key = await first.IssueKeyAsync(new { role = "cooperative", cooperativeId, label = "office" });
            }

            using (var browser = Browser(first, signedIn))
            {
                var signIn = await PostSignInAsync(browser, await FormTokenAsync(browser, "/signin"), key);
                Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
                session = signedIn.GetCookies(Site)[WebAuth.CookieName]!.Value;
                signOutToken = await FormTokenAsync(browser, "/");
            }

            // A sign-in form fetched before the restart and posted after it.
            using (var browser = Browser(first, anonymous))
            {
                signInToken = await FormTokenAsync(browser, "/signin");
            }

            await first.DisposeAsync();

            await using var second = new AgriChainAppFactory(directory);
            using (var browser = Browser(second, signedIn))
            {
                var (status, html) = await GetAsync(browser, "/");
                Assert.True(status == HttpStatusCode.OK, $"The session cookie of the first host was refused: GET / answered {(int)status}.");
                Assert.Contains("<span class=\"who\">cooperative</span>", html, StringComparison.Ordinal);

                var signOut = await browser.PostAsync("/signout", Form(signOutToken, []));
                Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
                Assert.Equal("/signin", signOut.Headers.Location?.OriginalString);
            }

            using (var browser = Browser(second, anonymous))
            {
                var signIn = await PostSignInAsync(browser, signInToken, key);
                Assert.True(signIn.StatusCode == HttpStatusCode.Redirect,
                    $"The sign-in form of the first host was refused: {(int)signIn.StatusCode} {await signIn.Content.ReadAsStringAsync()}");
                Assert.NotNull(anonymous.GetCookies(Site)[WebAuth.CookieName]);
            }

            // One key, made by the first host and read back by the second; it protected both cookies.
            var stored = await StoredKeysAsync(second.Services.GetRequiredService<AgriChainDatabase>());
            var (name, xml) = Assert.Single(stored);
            var keyId = KeyIdOf(session);
            Assert.Equal($"key-{keyId:D}", name);
            Assert.Equal(keyId, Guid.Parse(XElement.Parse(xml).Attribute("id")!.Value));
            Assert.Equal(keyId, KeyIdOf(signedIn.GetCookies(Site)["agrichain.antiforgery"]!.Value));
        }
        finally
        {
            await first.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task NewHost_HasItsKeyInTheDatabase_BeforeItTakesAnyRequest()
    {
        await using var app = new AgriChainAppFactory();
        try
        {
            // Services starts the host without sending a request.
            var database = app.Services.GetRequiredService<AgriChainDatabase>();

            var (name, xml) = Assert.Single(await StoredKeysAsync(database));
            Assert.Equal($"key-{XElement.Parse(xml).Attribute("id")!.Value}", name);

            // The silo (schema, then key ring) starts before the HTTP server, which the framework starts last.
            var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
            var silo = hosted.IndexOf("SiloHostedService");
            Assert.True(silo >= 0 && silo < hosted.IndexOf("GenericWebHostService"), $"Hosted services start in this order: {string.Join(", ", hosted)}");
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(app.DataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task HostOnADatabaseWithoutTheKeyTable_RefusesToStart_NamingTheScript()
    {
        var directory = Directory.CreateTempSubdirectory("agrichain-http-").FullName;
        try
        {
            // A database of the release before, whose operators apply the scripts themselves and have not run 008 yet.
            await using (var database = new AgriChainDatabase(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(directory, "agrichain.db")}" }))
            {
                await database.ApplySchemaAsync(CancellationToken.None);
                await using var connection = await database.DataSource.OpenConnectionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "DROP TABLE agrichain_data_protection_keys; DELETE FROM agrichain_schema_version WHERE version = 8";
                await command.ExecuteNonQueryAsync();
            }

            await using var app = new AgriChainAppFactory(directory).WithWebHostBuilder(b => b.UseSetting("Storage:ApplySchema", "false"));

            var failure = Record.Exception(() => app.CreateClient().Dispose());

            Assert.NotNull(failure);
            Assert.Contains("deploy/sql/sqlite/008-data-protection.sql", Describe(failure), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Repository_StoresEachNameOnce_AndReadsEveryElementBack()
    {
        var directory = Directory.CreateTempSubdirectory("agrichain-keys-").FullName;
        try
        {
            await using var database = new AgriChainDatabase(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(directory, "keys.db")}" });
            await database.ApplySchemaAsync(CancellationToken.None);
            var repository = new DatabaseKeyRepository(database, TimeProvider.System, NullLogger<DatabaseKeyRepository>.Instance);
            Assert.Empty(repository.GetAllElements());

            var firstKey = new XElement("key", new XAttribute("id", "0b7c4e0e-1b8a-4a4f-9a55-0f7b1c9f3a01"), new XElement("value", "one"));
            var secondKey = new XElement("key", new XAttribute("id", "5d0c7a52-7f63-4c36-9d3b-2b1a5e6c8d02"), new XElement("value", "two"));
            repository.StoreElement(firstKey, "key-0b7c4e0e-1b8a-4a4f-9a55-0f7b1c9f3a01");
            repository.StoreElement(new XElement("key", new XElement("value", "overwritten")), "key-0b7c4e0e-1b8a-4a4f-9a55-0f7b1c9f3a01");
            repository.StoreElement(secondKey, "key-5d0c7a52-7f63-4c36-9d3b-2b1a5e6c8d02");

            var elements = repository.GetAllElements().ToList();
            Assert.Equal(2, elements.Count);
            Assert.True(XNode.DeepEquals(firstKey, elements[0]), elements[0].ToString());
            Assert.True(XNode.DeepEquals(secondKey, elements[1]), elements[1].ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Repository_OnADatabaseWithoutTheSchema_FailsNamingTheScript()
    {
        var directory = Directory.CreateTempSubdirectory("agrichain-keys-").FullName;
        try
        {
            await using var database = new AgriChainDatabase(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(directory, "empty.db")}" });
            var repository = new DatabaseKeyRepository(database, TimeProvider.System, NullLogger<DatabaseKeyRepository>.Instance);

            var failure = Assert.Throws<InvalidOperationException>(repository.GetAllElements);

            Assert.Contains("deploy/sql/sqlite/008-data-protection.sql", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// The Data Protection key a protected value (a cookie, base64url) was made with: its payload starts with the
    /// magic header 0x09F0C9F0 and the key's id.
    /// </summary>
    private static Guid KeyIdOf(string protectedValue)
    {
        var payload = WebEncoders.Base64UrlDecode(protectedValue);
        Assert.True(payload.Length > 20 && BinaryPrimitives.ReadUInt32BigEndian(payload) == 0x09F0C9F0,
            $"'{protectedValue}' is not a Data Protection payload.");
        return new Guid(payload.AsSpan(4, 16));
    }

    /// <summary>The messages of an exception and everything inside it.</summary>
    private static string Describe(Exception exception) => exception switch
    {
        AggregateException aggregate => string.Join("\n", [aggregate.Message, .. aggregate.InnerExceptions.Select(Describe)]),
        { InnerException: { } inner } => $"{exception.Message}\n{Describe(inner)}",
        _ => exception.Message,
    };

    private static async Task<List<(string Name, string Xml)>> StoredKeysAsync(AgriChainDatabase database)
    {
        var rows = new List<(string, string)>();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT friendly_name, xml FROM agrichain_data_protection_keys ORDER BY friendly_name";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>A browser of <paramref name="app"/> over https (the session cookie is Secure) keeping its cookies in <paramref name="jar"/>.</summary>
    private static HttpClient Browser(AgriChainAppFactory app, CookieContainer jar)
    {
        var client = app.CreateDefaultClient(Site, new CookieContainerHandler(jar));
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        return client;
    }

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The antiforgery token of the first form on <paramref name="path"/>.</summary>
    private static async Task<string> FormTokenAsync(HttpClient browser, string path)
    {
        var (status, html) = await GetAsync(browser, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path} answered {(int)status}.");
        var token = TokenPattern().Match(html);
        Assert.True(token.Success, $"No antiforgery token on {path}.");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    private static Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, string token, string key) =>
        browser.PostAsync("/signin", Form(token, new() { ["_handler"] = "signin", ["Key"] = key }));

    private static FormUrlEncodedContent Form(string token, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = token;
        return new FormUrlEncodedContent(fields);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
