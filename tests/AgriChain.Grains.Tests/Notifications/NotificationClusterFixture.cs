using AgriChain.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace AgriChain.Grains.Tests.Notifications;

/// <summary>
/// Two silos with memory storage, in-memory reminders, a fake clock (which also drives grain timers), the
/// notification services over a plain HttpClient, and a local HTTP receiver for the webhooks.
/// </summary>
public sealed class NotificationClusterFixture : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public NotificationClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorageAsDefault();
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddAgriChainNotificationServices(_ => _http);
        });
        Cluster = builder.Build();
    }

    /// <summary>The silos' clock; tests only move it forward.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; }

    public WebhookReceiver Receiver { get; } = new();

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The services of silo <paramref name="index"/> (0 or 1).</summary>
    public IServiceProvider Silo(int index) => Cluster.Silos[index].ServiceProvider;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>
    /// Collects idle activations until <paramref name="grain"/>'s activation is gone (a delivery pass in flight keeps
    /// it busy for a moment), failing after a deadline.
    /// </summary>
    public async Task DeactivateAsync(IAddressable grain)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var gone = Cluster.WaitForDeactivationAsync(grain);
            await management.ForceActivationCollection(TimeSpan.Zero);
            try
            {
                await gone.WaitAsync(TimeSpan.FromSeconds(1));
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Still busy: collect again.
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationClusterCollection : ICollectionFixture<NotificationClusterFixture>
{
    public const string Name = "notification-cluster";
}
