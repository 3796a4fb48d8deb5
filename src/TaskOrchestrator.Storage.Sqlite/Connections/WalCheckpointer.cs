using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// Moves SQLite's write-ahead-log checkpoints off the commit. By default SQLite checkpoints inside the
/// commit that takes the log past 1,000 pages: the caller of that commit (a whole claim batch) waits
/// while some 4 MB are copied into the database file and synced, which was the slowest claim in about
/// ninety (docs/PERFORMANCE.md). This replaces SQLite's commit hook on each connection of the store:
/// past <see cref="BackgroundPages"/> it starts one PASSIVE checkpoint on the thread pool, on a
/// connection of its own, and the commit returns at once. A passive checkpoint never waits for
/// writers or readers. If the log still reaches <see cref="InlinePages"/> (the background checkpoint
/// cannot keep up, or another process holds the checkpoint lock), a commit checkpoints inline as SQLite
/// would, so the log stays bounded.
/// <para>
/// Unlike a timer (tried and reverted: three processes each checkpointing every 250 ms claimed a fifth
/// less), this checkpoints by SQLite's own rule, at twice its log size, on another thread.
/// </para>
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>
    /// Log pages after a commit at which a background checkpoint starts: twice SQLite's default of
    /// 1,000. A checkpoint's writes and syncs of the database file stall the commits that overlap them
    /// by some 3 to 8 ms; at 1,000 pages (about 15 per claim at 100,000 tasks) that was one claim in 66,
    /// more than one in a hundred, so those stalls were the claims' p99. At 2,000 it is one in about
    /// 135, and since a claim rewrites the same pages, a checkpoint copies a third fewer pages per claim
    /// (docs/PERFORMANCE.md).
    /// </summary>
    public const int BackgroundPages = 2000;

    /// <summary>Log pages after a commit at which that commit checkpoints inline, as SQLite's default hook does.</summary>
    public const int InlinePages = 4 * BackgroundPages;

    private const string NativeLibrary = "e_sqlite3";
    private const int SqliteOk = 0;

    // The hook receives an id, not an object: a connection may still commit after its store is disposed
    // (a unit finishing late), and then finds nothing here and checkpoints as SQLite would.
    private static readonly ConcurrentDictionary<nint, WalCheckpointer> Registered = new();
    private static long s_nextId;

    private readonly nint _id;
    private readonly Func<PooledConnection> _rent;
    private readonly Action<PooledConnection> _return;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _scheduled;
    private long _background;
    private long _inline;

    public WalCheckpointer(Func<PooledConnection> rent, Action<PooledConnection> @return)
    {
        _rent = rent;
        _return = @return;
        _id = (nint)Interlocked.Increment(ref s_nextId);
        Registered[_id] = this;
    }

    /// <summary>Background checkpoints run so far.</summary>
    public long BackgroundCheckpoints => Interlocked.Read(ref _background);

    /// <summary>Checkpoints run inside a commit because the log reached <see cref="InlinePages"/>.</summary>
    public long InlineCheckpoints => Interlocked.Read(ref _inline);

    /// <summary>Replaces SQLite's commit hook (its auto-checkpoint) on <paramref name="connection"/> with this one's.</summary>
    public unsafe void Attach(SqliteConnection connection)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        sqlite3_wal_hook(handle.DangerousGetHandle(), &OnCommitted, _id);
    }

    /// <summary>
    /// Runs <paramref name="checkpoint"/> (an explicit checkpoint: the health monitor's, shutdown's) once
    /// no background checkpoint of this store runs, so that this process never competes with itself for
    /// SQLite's checkpoint lock and a TRUNCATE does not find it taken by its own background work.
    /// </summary>
    public async Task<CheckpointResult> ExclusiveAsync(Func<Task<CheckpointResult>> checkpoint, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await checkpoint().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => Registered.TryRemove(_id, out _);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnCommitted(nint id, nint db, nint schema, int pages)
    {
        // Runs inside sqlite3_step of the COMMIT, after the write lock is released; nothing may throw here.
        try
        {
            Registered.TryGetValue(id, out var checkpointer);
            if (pages >= InlinePages || (checkpointer is null && pages >= BackgroundPages))
            {
                // What SQLite's default hook does: a passive checkpoint of this schema. Busy (another
                // process checkpoints) or an error leaves it to the next commit, as SQLite's hook does.
                if (sqlite3_wal_checkpoint(db, schema) == SqliteOk && checkpointer is not null)
                {
                    Interlocked.Increment(ref checkpointer._inline);
                }
            }
            else if (pages >= BackgroundPages)
            {
                checkpointer!.Schedule();
            }
        }
        catch (Exception)
        {
            // A failed schedule leaves the log to grow to InlinePages, where a commit checkpoints itself.
        }

        return SqliteOk;
    }

    private void Schedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.RunInBackground(), this, preferLocal: false);
        }
    }

    private void RunInBackground()
    {
        try
        {
            // An explicit checkpoint is running: it does this one's work.
            if (!_gate.Wait(0))
            {
                return;
            }

            try
            {
                Checkpoint();
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

    private void Checkpoint()
    {
        PooledConnection connection;
        try
        {
            connection = _rent();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SqliteException)
        {
            return; // the store is closing (closing its last connection checkpoints), or the next commit tries again
        }

        try
        {
            // Busy (another process is checkpointing) is a result column, not an error.
            connection.Command("PRAGMA wal_checkpoint(PASSIVE)").ExecuteNonQuery();
            Interlocked.Increment(ref _background);
        }
        catch (SqliteException)
        {
            // Left to the next commit past the threshold, and to the health monitor's checkpoint, which reports errors.
            connection.Healthy = false;
        }
        finally
        {
            _return(connection);
        }
    }

    [DllImport(NativeLibrary, CallingConvention = CallingConvention.Cdecl)]
    private static extern unsafe nint sqlite3_wal_hook(nint db, delegate* unmanaged[Cdecl]<nint, nint, nint, int, int> callback, nint argument);

    [DllImport(NativeLibrary, CallingConvention = CallingConvention.Cdecl)]
    private static extern int sqlite3_wal_checkpoint(nint db, nint schema);
}
