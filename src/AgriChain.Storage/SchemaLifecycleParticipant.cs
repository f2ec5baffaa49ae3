using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace AgriChain.Storage;

/// <summary>
/// Applies the schema while the silo starts, at <see cref="StorageHostingExtensions.SchemaLifecycleStage"/>: before
/// clustering, grain storage and the reminder table initialise, because they read their SQL from OrleansQuery then.
/// </summary>
internal sealed class SchemaLifecycleParticipant(AgriChainDatabase database, IOptions<StorageOptions> options)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaLifecycleParticipant), StorageHostingExtensions.SchemaLifecycleStage, OnStartAsync);

    private Task OnStartAsync(CancellationToken cancellationToken) =>
        options.Value.ApplySchema ? database.ApplySchemaAsync(cancellationToken) : Task.CompletedTask;
}
