namespace AgriChain.Server.Tests.Infrastructure;

/// <summary>One running host shared by the HTTP test classes (starting a silo per class would be slow).</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public AgriChainAppFactory App { get; } = new();

    public Task InitializeAsync()
    {
        // Creating a client starts the host: silo, schema, HTTP pipeline.
        App.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Directory.Delete(App.DataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
