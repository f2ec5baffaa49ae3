namespace AgriChain.Grains.MasterData;

/// <summary>The part every master-data state shares: the profile and when it was created and last changed.</summary>
public interface IProfileState<TProfile>
    where TProfile : class
{
    TProfile? Profile { get; set; }

    DateTimeOffset CreatedAt { get; set; }

    DateTimeOffset UpdatedAt { get; set; }
}

internal static class ProfileState
{
    /// <summary>Stores <paramref name="profile"/> with its timestamps: created on first write, updated on every write.</summary>
    public static Task WriteProfileAsync<TState, TProfile>(this IPersistentState<TState> state, TProfile profile, TimeProvider time)
        where TState : IProfileState<TProfile>
        where TProfile : class
    {
        var now = time.GetUtcNow();
        if (state.State.Profile is null)
        {
            state.State.CreatedAt = now;
        }

        state.State.UpdatedAt = now;
        state.State.Profile = profile;
        return state.WriteStateAsync();
    }
}
