using System.Globalization;
using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Postgres.Connections;
using TaskOrchestrator.Storage.Postgres.Migrations;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>Integrity, size and schema checks on a workspace in the shared database.</summary>
internal sealed class PostgresDiagnostics : IStoreDiagnostics
{
    // Constraints PostgreSQL has not validated (added NOT VALID, or left so by a bulk load): the only
    // rows that can break the foreign keys and checks the schema declares.
    private const string UnvalidatedConstraints = """
        SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c
        WHERE NOT c.convalidated AND c.conrelid::regclass::text IN ('workspace', 'session', 'task', 'dependency', 'artifact', 'event', 'idempotency', 'server_instance', 'restart', 'health_probe', 'agent')
        ORDER BY 1, 2
        """;

    // Indexes marked invalid (a failed CREATE INDEX CONCURRENTLY) answer no queries and must be rebuilt.
    private const string InvalidIndexes = """
        SELECT i.indexrelid::regclass::text FROM pg_index i
        WHERE NOT i.indisvalid AND i.indrelid::regclass::text IN ('session', 'task', 'dependency', 'artifact', 'event', 'idempotency', 'server_instance', 'restart', 'agent')
        ORDER BY 1
        """;

    private const string ArtifactsAfter = "SELECT id, content, content_hash, content_length FROM artifact WHERE workspace_id = @ws AND id COLLATE \"C\" > @after ORDER BY id COLLATE \"C\" LIMIT 500";

    private const string DatabaseSize = "SELECT pg_database_size(current_database())";

    private const string AppliedVersion = "SELECT coalesce(max(version), 0) FROM schema_version";

    private const string Probe = """
        INSERT INTO health_probe (workspace_id, instance_id, probed_at) VALUES (@ws, @instance, @at)
        ON CONFLICT (workspace_id) DO UPDATE SET instance_id = excluded.instance_id, probed_at = greatest(excluded.probed_at, health_probe.probed_at + 1)
        """;

    private readonly PostgresOrchestratorStore _store;

    public PostgresDiagnostics(PostgresOrchestratorStore store)
    {
        _store = store;
    }

    public int OpenWriteUnits => _store.OpenWriteUnits;

    /// <summary>
    /// PostgreSQL checks its pages itself; what can still be wrong is what the schema relies on. Quick: every
    /// constraint validated and every index valid. Full: also every artifact's content against its stored
    /// hash and length, so a row changed behind the store's back is found.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckIntegrityAsync(bool full, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(UnvalidatedConstraints, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                problems.Add($"constraint {reader.GetString(1)} of table {reader.GetString(0)} is not validated: rows may break it");
            }
        }

        await using (var command = new NpgsqlCommand(InvalidIndexes, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                problems.Add($"index {reader.GetString(0)} is invalid: rebuild it with REINDEX");
            }
        }

        if (full)
        {
            await CheckArtifactHashesAsync(connection, problems, cancellationToken);
        }

        return problems;
    }

    public async Task<StoreSize> GetSizeAsync(CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(DatabaseSize);
        long bytes = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

        // The server's write-ahead log is its own: it is archived and recycled by the server's checkpoints,
        // not by this application, so there is no log of ours to report.
        return new StoreSize(bytes, 0);
    }

    public async Task<(int Applied, int Latest)> GetSchemaVersionAsync(CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(AppliedVersion);
        int applied = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        return (applied, PostgresMigrator.Latest);
    }

    public async Task<TimeSpan> ProbeWriteAsync(string instanceId, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using (var unit = (PostgresStoreUnit)await _store.BeginWriteAsync(cancellationToken))
        {
            // The stored time always moves forward, so every probe really writes a new row version.
            await unit.ExecuteAsync(
                unit.Write(Probe).With("ws", _store.Workspace.Id).With("instance", instanceId).With("at", Pg.Ms(_store.Time.GetUtcNow())),
                cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }

        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// A commit here is durable when it returns and nothing of it waits in a log of this application's:
    /// the server checkpoints its own write-ahead log, and asking it to do so from here would only add an
    /// I/O burst on a database other workspaces share. So there is never anything pending to move.
    /// </summary>
    public Task<CheckpointResult> CheckpointAsync(bool truncate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(new CheckpointResult(Busy: false, LogFrames: 0, CheckpointedFrames: 0));
    }

    public async Task<bool> IsWriteLockedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(WorkspaceLocks.TryWriteLock, connection, transaction);
        command.Parameters.AddWithValue("ns", WorkspaceLocks.Namespace);
        command.Parameters.AddWithValue("ws", _store.Workspace.Id);

        // Taken or not, the lock is given back at once by the rollback; nothing is written.
        bool free = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        await transaction.RollbackAsync(cancellationToken);
        return !free;
    }

    private async Task CheckArtifactHashesAsync(NpgsqlConnection connection, List<string> problems, CancellationToken cancellationToken)
    {
        string after = string.Empty;
        while (true)
        {
            int read = 0;
            await using var command = new NpgsqlCommand(ArtifactsAfter, connection);
            command.Parameters.AddWithValue("ws", _store.Workspace.Id);
            command.Parameters.AddWithValue("after", after);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                after = reader.GetString(0);
                var content = reader.GetString(1);
                if (ContentHash.Of(content) != reader.GetString(2) || content.Length != reader.GetInt64(3))
                {
                    problems.Add($"artifact {after}: content does not match its stored hash or length");
                }
            }

            if (read == 0)
            {
                return;
            }
        }
    }
}
