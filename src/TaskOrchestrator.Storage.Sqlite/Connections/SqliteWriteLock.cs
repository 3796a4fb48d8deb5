using System.Diagnostics;
using SQLitePCL;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// Takes SQLite's write lock with <c>BEGIN IMMEDIATE</c>, retrying every few milliseconds while another
/// process holds it. SQLite's busy handler backs off to tens of milliseconds (and in the bundled Unix build
/// slept whole seconds until <see cref="MillisecondSleepVfs"/>) and the driver's retry goes in 150 ms steps;
/// either would turn a sub-millisecond wait into a long stall.
/// </summary>
internal static class SqliteWriteLock
{
    private const int MaxBackoffMilliseconds = 8;

    public static ValueTask BeginImmediateAsync(PooledConnection connection, TimeSpan timeout, CancellationToken cancellationToken) =>
        BeginImmediateAsync(connection, timeout, timeout, cancellationToken);

    /// <summary>Takes the write lock, waiting at most <paramref name="timeout"/>; <paramref name="reportedTimeout"/> is the whole budget named in the error.</summary>
    public static async ValueTask BeginImmediateAsync(PooledConnection connection, TimeSpan timeout, TimeSpan reportedTimeout, CancellationToken cancellationToken)
    {
        var handle = connection.Connection.Handle!;
        var waited = Stopwatch.StartNew();
        int backoff = 1;
        while (true)
        {
            int rc = raw.sqlite3_exec(handle, "BEGIN IMMEDIATE");
            if (rc == raw.SQLITE_OK)
            {
                return;
            }

            if ((rc & 0xFF) != raw.SQLITE_BUSY && (rc & 0xFF) != raw.SQLITE_LOCKED)
            {
                throw SqliteErrors.From(rc, raw.sqlite3_errmsg(handle).utf8_to_string(), "beginning a write");
            }

            if (waited.Elapsed >= timeout)
            {
                throw Busy(reportedTimeout);
            }

            await Task.Delay(backoff + Random.Shared.Next(0, 2), cancellationToken);
            backoff = Math.Min(backoff * 2, MaxBackoffMilliseconds);
        }
    }

    /// <summary>The error for a writer that waited the whole busy timeout for its turn.</summary>
    public static OrchestratorException Busy(TimeSpan timeout) =>
        Fail.With(
            ErrorCodes.StoreBusy,
            $"The workspace database stayed locked by another writer for {timeout.TotalSeconds:0.###} s; nothing was changed.",
            null,
            null,
            "Retry the call (with the same idempotency_key if it had one). If this persists, another process is holding the database: see orchestrator_health_check.");

    public static void Exec(PooledConnection connection, string sql, string doing)
    {
        var handle = connection.Connection.Handle!;
        int rc = raw.sqlite3_exec(handle, sql);
        if (rc != raw.SQLITE_OK)
        {
            throw SqliteErrors.From(rc, raw.sqlite3_errmsg(handle).utf8_to_string(), doing);
        }
    }
}
