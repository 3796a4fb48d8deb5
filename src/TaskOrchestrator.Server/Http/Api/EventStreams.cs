namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// Counts the event streams open in this process (shown by <c>GET /api</c>) and lets a caller wait for
/// that count to meet a condition, which is how a stream's clean end after a disconnect is observed
/// without sleeping. Thread-safe.
/// </summary>
internal sealed class EventStreams
{
    private readonly Lock _gate = new();
    private int _open;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Streams open now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>Counts a stream as open until the returned handle is disposed.</summary>
    public IDisposable Register()
    {
        Change(+1);
        return new Registration(this);
    }

    /// <summary>Completes once the number of open streams satisfies <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<int, bool> condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_open))
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    private void Change(int delta)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _open += delta;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    private sealed class Registration(EventStreams owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Change(-1);
            }
        }
    }
}
