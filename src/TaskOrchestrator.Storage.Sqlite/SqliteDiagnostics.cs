using System.Globalization;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>Integrity, size and schema checks on a workspace database.</summary>
internal sealed class SqliteDiagnostics : IStoreDiagnostics
{
    private readonly SqliteOrchestratorStore _store;

    public SqliteDiagnostics(SqliteOrchestratorStore store)
    {
        _store = store;
    }

    public Task<IReadOnlyList<string>> CheckIntegrityAsync(bool full, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = _store.RentConnection();
        try
        {
            var problems = new List<string>();
            using var reader = connection.Command(full ? "PRAGMA integrity_check" : "PRAGMA quick_check").ExecuteReader();
            while (reader.Read())
            {
                var line = reader.GetString(0);
                if (line != "ok")
                {
                    problems.Add(line);
                }
            }

            using var foreignKeys = connection.Command("PRAGMA foreign_key_check").ExecuteReader();
            while (foreignKeys.Read())
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"foreign key violation: row {foreignKeys.GetValue(1)} of table {foreignKeys.GetString(0)} refers to a missing row of {foreignKeys.GetString(2)}"));
            }

            return Task.FromResult<IReadOnlyList<string>>(problems);
        }
        finally
        {
            _store.Release(connection, write: false);
        }
    }

    public Task<StoreSize> GetSizeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
        return Task.FromResult(new StoreSize(SizeOf(_store.DatabasePath), SizeOf(_store.DatabasePath + "-wal")));
    }

    public int OpenWriteUnits => _store.OpenWriteUnits;

    public Task<bool> IsWriteLockedAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = _store.RentConnection();
        try
        {
            // The pool's connections have busy_timeout = 0, so this answers at once. An IMMEDIATE
            // transaction that is rolled back before any statement writes nothing, not even to the log.
            var handle = connection.Connection.Handle!;
            int rc = SQLitePCL.raw.sqlite3_exec(handle, "BEGIN IMMEDIATE");
            if (rc == SQLitePCL.raw.SQLITE_OK)
            {
                Connections.SqliteWriteLock.Exec(connection, "ROLLBACK", "releasing the write-lock probe");
                return Task.FromResult(false);
            }

            if ((rc & 0xFF) is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
            {
                return Task.FromResult(true);
            }

            throw SqliteErrors.From(rc, SQLitePCL.raw.sqlite3_errmsg(handle).utf8_to_string(), "probing the write lock");
        }
        finally
        {
            _store.Release(connection, write: false);
        }
    }

    public async Task<TimeSpan> ProbeWriteAsync(string instanceId, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using (var unit = await _store.BeginWriteAsync(cancellationToken))
        {
            // The stored time always moves forward, even within one millisecond: SQLite skips writing a
            // row whose bytes do not change, and a probe that writes nothing proves nothing.
            ((SqliteStoreUnit)unit).Write("INSERT INTO health_probe (workspace_id, instance_id, probed_at) VALUES ($ws, $instance, $at) ON CONFLICT (workspace_id) DO UPDATE SET instance_id = excluded.instance_id, probed_at = max(excluded.probed_at, health_probe.probed_at + 1)")
                .With("$ws", _store.Workspace.Id).With("$instance", instanceId).With("$at", Sql.Ms(_store.Time.GetUtcNow()))
                .ExecuteNonQuery();
            await unit.CommitAsync(cancellationToken);
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    public Task<CheckpointResult> CheckpointAsync(bool truncate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _store.Checkpointer.ExclusiveAsync(
            () => truncate ? TruncateAsync(cancellationToken) : Task.FromResult(Checkpoint("PRAGMA wal_checkpoint(PASSIVE)")),
            cancellationToken);
    }

    private async Task<CheckpointResult> TruncateAsync(CancellationToken cancellationToken)
    {
        // Connections run with busy_timeout = 0 (see SqliteConnectionPool), so SQLite's TRUNCATE gives up
        // at once while a reader holds an older snapshot; the contract says it waits, so wait here, within
        // the busy timeout, retrying in short steps as the write lock does.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        int backoff = 1;
        while (true)
        {
            var result = Checkpoint("PRAGMA wal_checkpoint(TRUNCATE)");
            if (!result.Busy || waited.Elapsed >= _store.BusyTimeout)
            {
                return result;
            }

            await Task.Delay(backoff, cancellationToken);
            backoff = Math.Min(backoff * 2, 16);
        }
    }

    private CheckpointResult Checkpoint(string pragma)
    {
        var connection = _store.RentConnection();
        try
        {
            using var reader = connection.Command(pragma).ExecuteReader();
            reader.Read();
            return new CheckpointResult(reader.GetInt32(0) != 0, reader.GetInt32(1), reader.GetInt32(2));
        }
        finally
        {
            _store.Release(connection, write: false);
        }
    }

    public Task<(int Applied, int Latest)> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = _store.RentConnection();
        try
        {
            int applied = Convert.ToInt32(connection.Command("SELECT coalesce(max(version), 0) FROM schema_version").ExecuteScalar(), CultureInfo.InvariantCulture);
            return Task.FromResult((applied, SqliteOrchestratorStore.LatestSchemaVersion));
        }
        finally
        {
            _store.Release(connection, write: false);
        }
    }
}
