using AgriChain.Storage.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgriChain.Storage.Tests;

public sealed class StorageOptionsTests
{
    [Fact]
    public void UnknownProvider_FailsNamingStorageProvider()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = "Oracle" });

        Assert.True(result.Failed);
        Assert.Equal("Storage:Provider must be Sqlite or PostgreSql (was 'Oracle')", result.FailureMessage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void PostgreSqlWithoutConnectionString_FailsNamingStorageConnectionString(string? connectionString)
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = "PostgreSql", ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Equal("Storage:ConnectionString is required when Storage:Provider is PostgreSql", result.FailureMessage);
    }

    [Fact]
    public void UnparsableConnectionString_FailsNamingStorageConnectionString()
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = "Sqlite", ConnectionString = "Colour=green" });

        Assert.True(result.Failed);
        Assert.StartsWith("Storage:ConnectionString is not a valid Sqlite connection string", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared")]
    public void InMemorySqlite_FailsNamingStorageConnectionString(string connectionString)
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { ConnectionString = connectionString });

        Assert.True(result.Failed);
        Assert.Equal(
            "Storage:ConnectionString must name a database file when Storage:Provider is Sqlite (in-memory databases are not supported)",
            result.FailureMessage);
    }

    [Theory]
    [InlineData("Sqlite", StorageProvider.Sqlite)]
    [InlineData("sqlite", StorageProvider.Sqlite)]
    [InlineData("PostgreSql", StorageProvider.PostgreSql)]
    [InlineData("POSTGRESQL", StorageProvider.PostgreSql)]
    public void ProviderNames_AreCaseInsensitive(string name, StorageProvider expected)
    {
        Assert.True(StorageOptions.TryParseProvider(name, out var provider));
        Assert.Equal(expected, provider);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("Postgres")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherProviderNames_AreRejected(string? name)
    {
        Assert.False(StorageOptions.TryParseProvider(name, out _));
    }

    [Fact]
    public void Defaults_AreSqliteWithSchemaApplied()
    {
        var options = new StorageOptions();

        Assert.Equal("Sqlite", options.Provider);
        Assert.Null(options.ConnectionString);
        Assert.True(options.ApplySchema);
    }

    [Fact]
    public async Task HostWithInvalidStorageSection_FailsAtStartNamingTheKey()
    {
        using var host = BuildHost(new() { ["Storage:Provider"] = "Cassandra" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:Provider must be Sqlite or PostgreSql (was 'Cassandra')", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostWithPostgreSqlAndNoConnectionString_FailsAtStartNamingTheKey()
    {
        using var host = BuildHost(new() { ["Storage:Provider"] = "postgresql" });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:ConnectionString is required when Storage:Provider is PostgreSql", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundSection_BuildsTheDatabaseForThatProvider()
    {
        using var host = BuildHost(new()
        {
            ["Storage:Provider"] = "postgresql",
            ["Storage:ConnectionString"] = "Host=127.0.0.1;Port=5432;Username=agrichain;Database=agrichain",
            ["Storage:ApplySchema"] = "false",
        });

        var database = host.Services.GetRequiredService<AgriChainDatabase>();
        var options = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(StorageProvider.PostgreSql, database.Provider);
        Assert.Equal("Npgsql", database.Invariant);
        Assert.IsType<Npgsql.NpgsqlDataSource>(database.DataSource, exactMatch: false);
        Assert.False(options.ApplySchema);
        Assert.Same(database, host.Services.GetRequiredService<AgriChainDatabase>());
        await database.DisposeAsync();
    }

    [Fact]
    public void AddAgriChainStorage_Twice_RegistersOneDatabase()
    {
        var services = new ServiceCollection();

        services.AddAgriChainStorage();
        services.AddAgriChainStorage();

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(AgriChainDatabase));
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IValidateOptions<StorageOptions>));
    }

    [Fact]
    public async Task Ping_IsFalseWhenNothingListens()
    {
        var options = new StorageOptions
        {
            Provider = "PostgreSql",
            ConnectionString = $"Host=127.0.0.1;Port={TestPorts.Free()};Username=nobody;Database=nothing;Timeout=5",
        };
        await using var database = new AgriChainDatabase(options);

        Assert.False(await database.PingAsync(CancellationToken.None));
    }

    [Fact]
    public void InvalidOptions_AreRefusedByTheDatabaseToo()
    {
        var exception = Assert.Throws<OptionsValidationException>(() => new AgriChainDatabase(new StorageOptions { Provider = "Oracle" }));

        Assert.Contains("Storage:Provider", exception.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAgriChainStorage();
        return builder.Build();
    }
}
