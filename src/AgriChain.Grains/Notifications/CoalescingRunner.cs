namespace AgriChain.Grains.Notifications;

/// <summary>
/// Runs one piece of async work at a time inside a grain activation and folds requests together: a request made
/// while a run is in progress gets the next run, shared with every other request made meanwhile. Each caller
/// therefore waits for a run that started after it asked. Not thread-safe: use it on the grain's scheduler only.
/// </summary>
internal sealed class CoalescingRunner
{
    private Task? _running;
    private Task? _queued;

    public Task RunAsync(Func<Task> work)
    {
        if (_queued is not null)
        {
            return _queued;
        }

        if (_running is null || _running.IsCompleted)
        {
            _running = work();
            return _running;
        }

        _queued = RunAfterAsync(_running, work);
        return _queued;
    }

    private async Task RunAfterAsync(Task previous, Func<Task> work)
    {
        // The previous run's callers observe its failure; this run goes ahead regardless.
        await Task.WhenAny(previous);
        _running = _queued;
        _queued = null;
        await work();
    }
}
