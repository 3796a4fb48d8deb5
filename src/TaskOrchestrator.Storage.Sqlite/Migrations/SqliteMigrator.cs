using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Storage.Sqlite.Connections;

namespace TaskOrchestrator.Storage.Sqlite.Migrations;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> scripts in order, each recorded in <c>schema_version</c>,
/// all inside one write transaction: processes opening a new database together migrate it once, and a
/// crash mid-migration leaves the previous version intact.
/// </summary>
internal static partial class SqliteMigrator
{
    public static IReadOnlyList<Migration> All { get; } = Load();

    public static int Latest => All[^1].Version;

    /// <summary>Migrates the database and returns its workspace row, creating it on first use.</summary>
    public static async Task<WorkspaceInfo> MigrateAsync(PooledConnection connection, string workspaceRoot, SqliteStoreOptions options, TimeProvider time, IdGenerator ids, CancellationToken cancellationToken)
    {
        await EnableWalAsync(connection, options.BusyTimeout, cancellationToken);
        await SqliteWriteLock.BeginImmediateAsync(connection, options.BusyTimeout, cancellationToken);
        try
        {
            SqliteWriteLock.Exec(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)", "creating the schema_version table");
            int applied = Convert.ToInt32(connection.Command("SELECT coalesce(max(version), 0) FROM schema_version").ExecuteScalar(), CultureInfo.InvariantCulture);
            if (applied > Latest)
            {
                throw Fail.With(
                    ErrorCodes.WorkspaceUnavailable,
                    $"The workspace database is at schema version {applied}, newer than this server's {Latest}: it was written by a newer TaskOrchestrator.",
                    null,
                    null,
                    "Upgrade this server, or open the workspace with the version that created it.");
            }

            foreach (var migration in All.Where(m => m.Version > applied))
            {
                SqliteWriteLock.Exec(connection, migration.Sql, $"applying migration {migration.Name}");
                connection.Command("INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $t)")
                    .With("$v", migration.Version).With("$n", migration.Name).With("$t", Sql.Ms(time.Now()))
                    .ExecuteNonQuery();
            }

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

    private static List<Migration> Load()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
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
