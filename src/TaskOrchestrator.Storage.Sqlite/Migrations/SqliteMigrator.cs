using System.Globalization;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Storage.Sqlite.Connections;

namespace TaskOrchestrator.Storage.Sqlite.Migrations;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> scripts in order, each recorded in <c>schema_version</c>,
/// all inside one write transaction: processes opening a new database together migrate it once, and a
/// crash mid-migration leaves the previous version intact.
/// </summary>
internal static class SqliteMigrator
{
    private static readonly MigrationScripts Embedded = MigrationScripts.From(typeof(SqliteMigrator).Assembly);

    public static IReadOnlyList<MigrationScript> All => Embedded.All;

    public static int Latest => Embedded.Latest;

    /// <summary>Migrates the database and returns its workspace row, creating it on first use.</summary>
    public static async Task<WorkspaceInfo> MigrateAsync(PooledConnection connection, string workspaceRoot, SqliteStoreOptions options, TimeProvider time, IdGenerator ids, CancellationToken cancellationToken)
    {
        await EnableWalAsync(connection, options.BusyTimeout, cancellationToken);
        await SqliteWriteLock.BeginImmediateAsync(connection, options.BusyTimeout, cancellationToken);
        try
        {
            await new Runner(connection).RunAsync(time, cancellationToken);
            var workspace = EnsureWorkspace(connection, workspaceRoot, time, ids);
            SqliteWriteLock.Exec(connection, "COMMIT", "committing migrations");
            return workspace;
        }
        catch
        {
            RollBack(connection);
            throw;
        }
    }

    private static WorkspaceInfo EnsureWorkspace(PooledConnection connection, string workspaceRoot, TimeProvider time, IdGenerator ids)
    {
        using (var reader = connection.Command("SELECT id, root_path, created_at FROM workspace LIMIT 1").ExecuteReader())
        {
            if (reader.Read())
            {
                var existing = new WorkspaceInfo(reader.GetString(0), workspaceRoot, Sql.Time(reader, 2));
                bool moved = reader.GetString(1) != workspaceRoot;
                reader.Close();
                if (moved)
                {
                    // The folder was moved or is reached by another path: the data is the same workspace.
                    connection.Command("UPDATE workspace SET root_path = $p WHERE id = $id").With("$p", workspaceRoot).With("$id", existing.Id).ExecuteNonQuery();
                }

                return existing;
            }
        }

        var created = new WorkspaceInfo(ids.NewWorkspaceId(), workspaceRoot, time.Now());
        connection.Command("INSERT INTO workspace (id, root_path, created_at) VALUES ($id, $p, $t)")
            .With("$id", created.Id).With("$p", created.RootPath).With("$t", Sql.Ms(created.CreatedAt))
            .ExecuteNonQuery();
        return created;
    }

    private static async Task EnableWalAsync(PooledConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Switching to WAL needs a moment of exclusive access; a process opening the file at the same
        // time may briefly hold it. The mode is persistent, so this settles after the first success.
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var mode = Convert.ToString(connection.Command("PRAGMA journal_mode = WAL").ExecuteScalar(), CultureInfo.InvariantCulture);
                if (string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }

                throw Fail.With(ErrorCodes.WorkspaceUnavailable, $"The workspace database refused write-ahead logging (journal mode '{mode}').", null, null,
                    "Keep the workspace on a local file system; network file systems cannot share WAL databases safely.");
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex) when (ex.SqliteErrorCode == SQLitePCL.raw.SQLITE_BUSY && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5, cancellationToken);
            }
        }
    }

    private static void RollBack(PooledConnection connection)
    {
        _ = SQLitePCL.raw.sqlite3_exec(connection.Connection.Handle!, "ROLLBACK");
        connection.Healthy = SQLitePCL.raw.sqlite3_get_autocommit(connection.Connection.Handle!) != 0;
    }

    /// <summary>The shared migration loop over SQLite's connection, inside the write transaction taken above.</summary>
    private sealed class Runner(PooledConnection connection) : MigrationRunner(Embedded)
    {
        protected override string CreateVersionTableSql => "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";

        // sqlite3_exec runs every statement of a script, not only the first.
        protected override Task ExecuteAsync(string sql, string doing, CancellationToken cancellationToken)
        {
            SqliteWriteLock.Exec(connection, sql, doing);
            return Task.CompletedTask;
        }

        protected override Task<int> ScalarIntAsync(string sql, CancellationToken cancellationToken) =>
            Task.FromResult(Convert.ToInt32(connection.Command(sql).ExecuteScalar(), CultureInfo.InvariantCulture));

        protected override Task RecordAsync(MigrationScript script, long appliedAtMs, CancellationToken cancellationToken)
        {
            connection.Command("INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $t)")
                .With("$v", script.Version).With("$n", script.Name).With("$t", appliedAtMs)
                .ExecuteNonQuery();
            return Task.CompletedTask;
        }

        protected override Exception NewerSchema(int applied, int latest) =>
            Fail.With(
                ErrorCodes.WorkspaceUnavailable,
                $"The workspace database is at schema version {applied}, newer than this server's {latest}: it was written by a newer TaskOrchestrator.",
                null,
                null,
                "Upgrade this server, or open the workspace with the version that created it.");
    }
}
