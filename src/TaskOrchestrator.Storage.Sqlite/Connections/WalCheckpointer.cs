using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// Runs SQLite's write-ahead-log checkpoints beside the commits instead of inside them. By default
/// SQLite checkpoints within the commit that takes the log past 1,000 pages: that commit's caller, and
/// through the write lock every writer queued behind it, waits while some 4 MB are copied into the
/// database file and synced (the slowest claims of the benchmark, docs/PERFORMANCE.md). Connections of
/// this store run with <c>wal_autocheckpoint = 0</c>, and this runs the same PASSIVE checkpoint on a
/// pooled connection of its own, on the thread pool, at most once per <see cref="Interval"/> while
/// commits come. A passive checkpoint never waits for writers or readers. Explicit checkpoints (the
/// health monitor's and shutdown's TRUNCATE) take the same gate, so that this process never competes
/// with itself for SQLite's checkpoint lock. When the last connection closes, SQLite checkpoints the
/// rest itself.
/// </summary>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    /// <summary>How often, at most, a background checkpoint starts while commits come.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly SqliteConnectionPool _pool;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastStarted;
    private bool _started;
    private int _scheduled;
    private Task _running = Task.CompletedTask;

    public WalCheckpointer(SqliteConnectionPool pool, TimeProvider time)
    {
        _pool = pool;
        _time = time;
    }

    /// <summary>The background checkpoint running or last run.</summary>
    public Task Idle => Volatile.Read(ref _running);

    /// <summary>Called after every commit: starts a background checkpoint when the last is an interval old.</summary>
    public void Committed()
    {
        // The store's clock (its wall time: a jump only moves one checkpoint earlier or later).
        if ((Volatile.Read(ref _started) && _time.GetUtcNow().UtcTicks - Volatile.Read(ref _lastStarted) < Interval.Ticks) || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
        {
            return;
        }

        Volatile.Write(ref _running, Task.Run(CheckpointInBackgroundAsync));
    }

    /// <summary>Runs <paramref name="checkpoint"/> (an explicit checkpoint) once no background one runs.</summary>
    public async Task<CheckpointResult> ExclusiveAsync(Func<CheckpointResult> checkpoint, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            MarkStarted();
            return checkpoint();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Idle.ConfigureAwait(false);
        _gate.Dispose();
    }

    private void MarkStarted()
    {
        Volatile.Write(ref _lastStarted, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _started, true);
    }

    private async Task CheckpointInBackgroundAsync()
    {
        try
        {
            // An explicit checkpoint is running: it does this one's work.
            if (!await _gate.WaitAsync(0).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                MarkStarted();
                Run();
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            Volatile.Write(ref _scheduled, 0);
        }
    }

    private void Run()
    {
        PooledConnection connection;
        try
        {
            connection = _pool.Rent();
        }
        catch (ObjectDisposedException)
        {
            return; // the store is closing: closing its last connection checkpoints
        }
        catch (SqliteException)
        {
            return; // the next commit tries again; the health monitor reports a store it cannot open
        }

        try
        {
            // Busy (another process checkpoints) is a result column, not an error. An error here is
            // left to the next commit's checkpoint and to the health monitor's, which reports it.
            connection.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            connection.Healthy = false;
        }
        finally
        {
            _pool.Return(connection);
        }
    }
}
