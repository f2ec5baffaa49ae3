using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;

namespace AgriChain.Server.Tests;

/// <summary>Acknowledged writes are on disk: a new host on the same SQLite file sees them.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task MasterDataAndKeys_SurviveAGracefulRestart()
    {
        string farm, key;
        var first = new AgriChainAppFactory();
        var directory = first.DataDirectory;
        try
        {
            using (var admin = first.Admin())
            {
                var coop = await Seed.CooperativeAsync(admin);
                farm = await Seed.FarmAsync(admin, coop);
                key = await first.IssueKeyAsync(new { role = "cooperative", cooperativeId = coop, label = "office" });
            }

            await first.DisposeAsync();
            Assert.True(File.Exists(Path.Combine(directory, "agrichain.db")));

            await using var second = new AgriChainAppFactory(directory);
            using var client = second.ClientWithKey(key);
            var response = await client.GetAsync($"/api/v1/farms/{farm}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(farm, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
