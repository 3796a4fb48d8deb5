using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Postgres.Connections;

namespace TaskOrchestrator.Storage.Postgres.Migrations;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> scripts in order, each recorded in <c>schema_version</c>, in
/// one transaction under an advisory lock: instances starting together migrate the database once (the
/// others wait for the lock, then find nothing left to do), and since PostgreSQL's DDL is transactional a
/// crash mid-migration leaves the previous version intact.
/// </summary>
internal static partial class PostgresMigrator
{
    private const string CreateVersionTable = "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)";

    private const string AppliedVersion = "SELECT coalesce(max(version), 0) FROM schema_version";

    private const string RecordVersion = "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)";

    private const string InsertWorkspace = "INSERT INTO workspace (id, root_path, created_at) VALUES (@id, @root, @at) ON CONFLICT (root_path) DO NOTHING";

    private const string SelectWorkspace = "SELECT id, created_at FROM workspace WHERE root_path = @root";

    public static IReadOnlyList<Migration> All { get; } = Load();

    public static int Latest => All[^1].Version;

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

        await ExecAsync(connection, transaction, CreateVersionTable, cancellationToken);
        int applied;
        await using (var command = new NpgsqlCommand(AppliedVersion, connection, transaction))
        {
            applied = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        if (applied > Latest)
        {
            throw Fail.With(
                ErrorCodes.WorkspaceUnavailable,
                $"The PostgreSQL database is at schema version {applied}, newer than this server's {Latest}: it was written by a newer TaskOrchestrator.",
                null,
                null,
                "Upgrade this server, or point it at a database of its own version.");
        }

        foreach (var migration in All.Where(m => m.Version > applied))
        {
            await ExecAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand(RecordVersion, connection, transaction);
            record.Parameters.AddWithValue("v", migration.Version);
            record.Parameters.AddWithValue("n", migration.Name);
            record.Parameters.AddWithValue("t", Pg.Ms(time.Now()));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

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

    private static async Task ExecAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> Load()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var match = MigrationName().Match(name);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (int i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1, 2, 3… without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"\.Migrations\.(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();

    internal sealed record Migration(int Version, string Name, string Sql);
}
