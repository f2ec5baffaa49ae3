using Orleans.Hosting;

namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>
/// Per test class: a temporary folder and one silo shared by the class's tests, started by the first test that needs it
/// (the database it runs on may come from a collection fixture, which a class fixture cannot receive).
/// </summary>
public sealed class StorageTestContext : IAsyncLifetime
{
    private TestSilo? _silo;

    public string TempFolder { get; } = Directory.CreateTempSubdirectory("agrichain-storage-tests-").FullName;

    public TestSilo Silo => _silo ?? throw new InvalidOperationException("The shared silo has not been started.");

    public async Task EnsureSiloAsync(Func<Task<StorageSettings>> createDatabase, Action<ISiloBuilder>? configure = null)
    {
        _silo ??= await TestSilo.StartAsync(await createDatabase(), $"shared-{Guid.NewGuid():N}", configure);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(TempFolder, recursive: true);
    }
}
