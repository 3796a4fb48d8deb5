using System.Collections.Concurrent;

namespace TaskOrchestrator.Core.Storage;

/// <summary>
/// A hint that a workspace's store has changed: raised after a write unit that appended events commits
/// (in this process by the store itself; with PostgreSQL also when another process or host commits, by
/// the backend's listener). It only wakes whoever polls (the event stream, the headless worker) earlier
/// than its next poll: a hint can be lost (a dropped listen connection, another SQLite process), so
/// pollers keep polling and read the store as the truth. Thread-safe.
/// <para>
/// Use: take <see cref="Next"/> <em>before</em> reading the store, then after reading wait on it with
/// <see cref="WaitAsync"/> bounded by the poll interval; a change committed between the read and the
/// wait has already completed the task taken, so no wake-up is lost.
/// </para>
/// </summary>
public sealed class StoreChangeSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);
    private long _raised;

    /// <summary>How many times the signal was raised (for diagnostics and tests).</summary>
    public long RaisedCount => Interlocked.Read(ref _raised);

    /// <summary>A task that completes at the next change of workspace <paramref name="workspaceId"/> (or of every workspace).</summary>
    public Task Next(string workspaceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceId);
        return _next.GetOrAdd(workspaceId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    /// <summary>
    /// Wakes the waiters of workspace <paramref name="workspaceId"/>, or of every workspace when it is
    /// null (a backend that cannot tell which changed, or that may have missed changes).
    /// </summary>
    public void Raise(string? workspaceId)
    {
        Interlocked.Increment(ref _raised);
        if (workspaceId is not null)
        {
            if (_next.TryRemove(workspaceId, out var waiting))
            {
                waiting.TrySetResult();
            }

            return;
        }

        foreach (var key in _next.Keys)
        {
            if (_next.TryRemove(key, out var waiting))
            {
                waiting.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="next"/> (from <see cref="Next"/>) completes or <paramref name="timeout"/>
    /// passes on <paramref name="time"/>; true when woken by a change, false at the timeout.
    /// </summary>
    public static async Task<bool> WaitAsync(Task next, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            await next.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
