using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>A real host with one Orleans silo on localhost clustering, configured the way the server is: UseAgriChainStorage.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private TestSilo(IHost host) => Host = host;

    public IHost Host { get; }

    public IGrainFactory Grains => Host.Services.GetRequiredService<IGrainFactory>();

    public AgriChainDatabase Database => Host.Services.GetRequiredService<AgriChainDatabase>();

    /// <summary>The default grain storage, to drive the provider directly.</summary>
    public IGrainStorage DefaultGrainStorage =>
        Host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <summary>Starts a silo whose storage is configured through the "Storage" section, as in production.</summary>
    public static async Task<TestSilo> StartAsync(StorageSettings storage, string serviceId, Action<ISiloBuilder>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(storage.ToConfiguration());
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(TestPorts.Free(), TestPorts.Free(), serviceId: serviceId, clusterId: serviceId);
            silo.UseAgriChainStorage();
            configure?.Invoke(silo);
        });

        var host = builder.Build();
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TestSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await Host.StopAsync(timeout.Token);
        }
        finally
        {
            // Disposing the container disposes AgriChainDatabase, which lets go of the SQLite file.
            if (Host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                Host.Dispose();
            }
        }
    }
}

/// <summary>What goes into the "Storage" configuration section of a test host.</summary>
public sealed record StorageSettings(StorageProvider Provider, string ConnectionString, bool ApplySchema = true)
{
    public Dictionary<string, string?> ToConfiguration() => new()
    {
        ["Storage:Provider"] = Provider.ToString(),
        ["Storage:ConnectionString"] = ConnectionString,
        ["Storage:ApplySchema"] = ApplySchema ? "true" : "false",
    };

    public StorageOptions ToOptions() => new()
    {
        Provider = Provider.ToString(),
        ConnectionString = ConnectionString,
        ApplySchema = ApplySchema,
    };
}
