using AgriChain.Storage.Tests.Grains;
using AgriChain.Storage.Tests.Infrastructure;
using Orleans.Runtime;

namespace AgriChain.Storage.Tests;

public sealed class SqliteGrainStateRoundTripTests(StorageTestContext context)
    : GrainStateRoundTripTests(context), IClassFixture<StorageTestContext>
{
    protected override Task<StorageSettings> CreateDatabaseAsync(string hint) =>
        Task.FromResult(new StorageSettings(
            StorageProvider.Sqlite,
            $"Data Source={Path.Combine(Context.TempFolder, $"{hint}-{Guid.NewGuid():N}.db")}"));

    [Fact]
    public async Task Activation_ReadsItsState_WhileAWriterHoldsTheGate()
    {
        var silo = Context.Silo;
        var grain = silo.Grains.GetGrain<IProbeGrain>($"activate-beside-writer-{Guid.NewGuid():N}");
        var stored = new GrainState<ProbeState>(new ProbeState { Value = "stored before", Count = 7 });
        await silo.DefaultGrainStorage.WriteStateAsync("probe", grain.GetGrainId(), stored);

        ProbeState state;
        await using (await silo.Database.DataSource.OpenConnectionAsync())
        {
            // The grain was never active: this call activates it, and the activation reads the row.
            state = await grain.GetStateAsync().WaitAsync(Eventually.DefaultTimeout);
        }

        Assert.Equal("stored before", state.Value);
        Assert.Equal(7, state.Count);

        // Writes still pass the gate and check the version the reader saw.
        await grain.SaveAsync("written after", 8);
        Assert.Equal("2", await grain.GetETagAsync());
    }
}
