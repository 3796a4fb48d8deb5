using System.Globalization;
using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Storage.Postgres.Connections;

namespace TaskOrchestrator.Storage.Postgres.Migrations;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> scripts in order, each recorded in <c>schema_version</c>, in
/// one transaction under an advisory lock: instances starting together migrate the database once (the
/// others wait for the lock, then find nothing left to do), and since PostgreSQL's DDL is transactional a
/// crash mid-migration leaves the previous version intact.
/// </summary>
internal static class PostgresMigrator
{
    private const string InsertWorkspace = "INSERT INTO workspace (id, root_path, created_at) VALUES (@id, @root, @at) ON CONFLICT (root_path) DO NOTHING";

    private const string SelectWorkspace = "SELECT id, created_at FROM workspace WHERE root_path = @root";

    private static readonly MigrationScripts Embedded = MigrationScripts.From(typeof(PostgresMigrator).Assembly);

    public static IReadOnlyList<MigrationScript> All => Embedded.All;

    public static int Latest => Embedded.Latest;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand(WorkspaceLocks.TakeMigrationLock, connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("ns", WorkspaceLocks.Namespace);
            lockCommand.Parameters.AddWithValue("key", WorkspaceLocks.Migrations);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await new Runner(connection, transaction).RunAsync(time, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The workspace of <paramref name="workspaceRoot"/>, created on first use by whichever instance gets there first.</summary>
    public static async Task<WorkspaceInfo> EnsureWorkspaceAsync(NpgsqlDataSource dataSource, string workspaceRoot, TimeProvider time, IdGenerator ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(InsertWorkspace, connection))
        {
            insert.Parameters.AddWithValue("id", ids.NewWorkspaceId());
            insert.Parameters.AddWithValue("root", workspaceRoot);
            insert.Parameters.AddWithValue("at", Pg.Ms(time.Now()));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var select = new NpgsqlCommand(SelectWorkspace, connection);
        select.Parameters.AddWithValue("root", workspaceRoot);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"The workspace row of '{workspaceRoot}' vanished right after it was ensured.");
        }

        return new WorkspaceInfo(reader.GetString(0), workspaceRoot, Pg.Time(reader, 1));
    }

    /// <summary>The shared migration loop in the transaction that holds the migration lock.</summary>
    private sealed class Runner(NpgsqlConnection connection, NpgsqlTransaction transaction) : MigrationRunner(Embedded)
    {
        protected override string CreateVersionTableSql => "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)";

        protected override async Task ExecuteAsync(string sql, string doing, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        protected override async Task<int> ScalarIntAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        protected override async Task RecordAsync(MigrationScript script, long appliedAtMs, CancellationToken cancellationToken)
        {
            await using var record = new NpgsqlCommand("INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)", connection, transaction);
            record.Parameters.AddWithValue("v", script.Version);
            record.Parameters.AddWithValue("n", script.Name);
            record.Parameters.AddWithValue("t", appliedAtMs);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        protected override Exception NewerSchema(int applied, int latest) =>
            Fail.With(
                ErrorCodes.WorkspaceUnavailable,
                $"The PostgreSQL database is at schema version {applied}, newer than this server's {latest}: it was written by a newer TaskOrchestrator.",
                null,
                null,
                "Upgrade this server, or point it at a database of its own version.");
    }
}
