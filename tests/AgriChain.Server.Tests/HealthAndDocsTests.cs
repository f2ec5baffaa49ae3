using System.Net;
using System.Text.Json;
using AgriChain.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgriChain.Server.Tests;

[Collection(AppCollection.Name)]
public sealed class HealthAndDocsTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_AnswersWithoutKey(string path)
    {
        using var client = fixture.App.ClientWithKey(null);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheMasterDataRoutes()
    {
        using var client = fixture.App.ClientWithKey(null);
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/farms/{id}", paths);
        Assert.Contains("/api/v1/greenhouses/{id}", paths);
        Assert.Contains("/api/v1/api-keys", paths);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs")).StatusCode);
    }

    [Fact]
    public void SettingsFiles_AreNotWatched_SoDatabaseWritesUnderTheContentRootWakeNothing()
    {
        var configuration = (IConfigurationRoot)fixture.App.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file} reloads on change"));
    }
}
