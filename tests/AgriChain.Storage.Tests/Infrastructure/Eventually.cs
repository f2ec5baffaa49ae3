namespace AgriChain.Storage.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline, instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="done"/> holds; fails naming what was expected.</summary>
    public static async Task<T> Satisfies<T>(Func<Task<T>> probe, Func<T, bool> done, string expectation, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        do
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Expected {expectation} within {(timeout ?? DefaultTimeout).TotalSeconds} s; last observed: {last}.");
    }
}
