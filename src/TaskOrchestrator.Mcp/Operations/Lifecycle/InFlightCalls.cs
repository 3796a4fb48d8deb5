using System.Collections.Concurrent;

namespace TaskOrchestrator.Mcp.Operations.Lifecycle;

/// <summary>
/// The tool calls this process is handling, tracked by the tool-call filter, so that shutdown can wait
/// for them and the operations tools can list them. Thread-safe.
/// </summary>
public sealed class InFlightCalls
{
    private static readonly AsyncLocal<InFlightCall?> CurrentCall = new();
    private readonly ConcurrentDictionary<long, InFlightCall> _calls = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;

    /// <summary>The call the current code runs for, if any.</summary>
    public static InFlightCall? Current => CurrentCall.Value;

    /// <summary>How many calls are in flight.</summary>
    public int Count => _calls.Count;

    /// <summary>The calls in flight, oldest first.</summary>
    public IReadOnlyList<InFlightCall> Snapshot() => [.. _calls.Values.OrderBy(c => c.Sequence)];

    /// <summary>Starts tracking a call; dispose the result when it ends. Also makes it <see cref="Current"/>.</summary>
    public IDisposable Begin(string requestId, string tool, string? connection, DateTimeOffset startedAt)
    {
        var call = new InFlightCall(Interlocked.Increment(ref _sequence), requestId, tool, connection, startedAt);
        _calls[call.Sequence] = call;
        CurrentCall.Value = call;
        return new Ending(this, call.Sequence);
    }

    /// <summary>
    /// Waits until no call is in flight or <paramref name="timeout"/> passes (real time: it waits for
    /// work, not for the clock). Returns true when every call ended.
    /// </summary>
    public async Task<bool> WaitForDrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_calls.IsEmpty)
                {
                    return true;
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await changed.WaitAsync(remaining, cancellationToken);
            }
            catch (TimeoutException)
            {
                return _calls.IsEmpty;
            }
        }
    }

    private void End(long sequence)
    {
        _calls.TryRemove(sequence, out _);
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Ending(InFlightCalls owner, long sequence) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.End(sequence);
            }
        }
    }
}
