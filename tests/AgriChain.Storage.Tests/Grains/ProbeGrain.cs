using Orleans.Runtime;

namespace AgriChain.Storage.Tests.Grains;

/// <summary>A grain that exercises the storage providers: persistent state and a reminder.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    /// <summary>Identifies the current activation, to see a deactivation take effect.</summary>
    Task<Guid> GetActivationIdAsync();

    Task<ProbeState> GetStateAsync();

    Task<string?> GetETagAsync();

    Task SaveAsync(string value, int count);

    Task ClearAsync();

    Task DeactivateAsync();

    Task RegisterReminderAsync(string name, TimeSpan period);

    Task<bool> HasReminderAsync(string name);
}

[GenerateSerializer, Alias("agrichain.tests.probe-state")]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public int Count { get; set; }

    [Id(2)]
    public List<string> History { get; set; } = [];

    public override string ToString() => $"{Value}/{Count}/[{string.Join(',', History)}]";
}

[GrainType("storage-probe")]
public sealed class ProbeGrain([PersistentState("probe")] IPersistentState<ProbeState> state) : Grain, IProbeGrain, IRemindable
{
    private const int HistoryLimit = 8;

    private readonly Guid _activationId = Guid.NewGuid();

    public Task<Guid> GetActivationIdAsync() => Task.FromResult(_activationId);

    public Task<ProbeState> GetStateAsync() => Task.FromResult(state.State);

    public Task<string?> GetETagAsync() => Task.FromResult<string?>(state.Etag);

    public async Task SaveAsync(string value, int count)
    {
        state.State.Value = value;
        state.State.Count = count;
        state.State.History.Add(value);
        if (state.State.History.Count > HistoryLimit)
        {
            state.State.History.RemoveAt(0);
        }

        await state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task RegisterReminderAsync(string name, TimeSpan period) =>
        this.RegisterOrUpdateReminder(name, period, period);

    public async Task<bool> HasReminderAsync(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
