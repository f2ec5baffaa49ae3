using System.Diagnostics;

namespace AgriChain.Cluster.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, instead of sleeping for a guessed time.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds and returns that observation. A probe that
    /// throws counts as not done (the cluster may be failing over). Fails naming what was expected, what was last
    /// seen, and the cluster's output.
    /// </summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string expectation,
        Func<T?, string>? describe = null,
        Func<string>? diagnostics = null)
    {
        var started = Stopwatch.GetTimestamp();
        T? last = default;
        Exception? lastError = null;
        do
        {
            try
            {
                last = await probe();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                lastError = exception;
            }

            await Task.Delay(Interval);
        }
        while (Stopwatch.GetElapsedTime(started) < timeout);

        var seen = lastError is not null ? $"{lastError.GetType().Name}: {lastError.Message}" : describe?.Invoke(last) ?? $"{last}";
        Assert.Fail($"Expected {expectation} within {timeout.TotalSeconds} s; last observed: {seen}.\n{diagnostics?.Invoke()}");
        throw new UnreachableException();
    }
}
