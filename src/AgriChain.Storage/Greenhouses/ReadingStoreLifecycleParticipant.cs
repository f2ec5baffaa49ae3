using Orleans;
using Orleans.Runtime;

namespace AgriChain.Storage.Greenhouses;

/// <summary>
/// Stops the reading store's writer when the silo stops, at <see cref="StorageHostingExtensions.SchemaLifecycleStage"/>:
/// stages stop in reverse order, so this runs after the grains have deactivated (and made their last appends) and
/// before the host disposes <see cref="AgriChainDatabase"/>. What is queued is written first.
/// </summary>
internal sealed class ReadingStoreLifecycleParticipant(ReadingStore store) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            nameof(ReadingStoreLifecycleParticipant),
            StorageHostingExtensions.SchemaLifecycleStage,
            _ => Task.CompletedTask,
            store.StopAsync);
}
