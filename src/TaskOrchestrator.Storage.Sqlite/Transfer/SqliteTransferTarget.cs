using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Storage.Sqlite.Migrations;

namespace TaskOrchestrator.Storage.Sqlite.Transfer;

/// <summary>
/// A SQLite file as a transfer target. The import runs in one <c>BEGIN IMMEDIATE</c> transaction that also
/// creates or migrates the schema; a file this import created is deleted again when the import is not committed.
/// </summary>
internal sealed class SqliteTransferTarget(string databasePath) : IWorkspaceTransferTarget
{
    public string Location => databasePath;

    public async Task<IWorkspaceImport> BeginImportAsync(TransferWorkspace workspace, IReadOnlyDictionary<string, SequenceRange> sequences, bool replace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(sequences);
        bool created = !File.Exists(databasePath);
        var folder = Path.GetDirectoryName(databasePath)!;
        bool createdFolder = !Directory.Exists(folder);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransferException(TransferFailure.Unavailable, $"Cannot create the folder '{folder}': {ex.Message}", "Choose a target this user can write to.", ex);
        }

        SqliteConnection? connection = null;
        try
        {
            connection = await SqliteTransfer.OpenAsync(databasePath, create: true, cancellationToken);
            var mode = await SqliteTableIo.ScalarAsync(connection, "PRAGMA journal_mode = WAL", cancellationToken);
            if (!string.Equals(Convert.ToString(mode, CultureInfo.InvariantCulture), "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new TransferException(TransferFailure.Unavailable, $"'{databasePath}' refused write-ahead logging (journal mode '{mode}').", "Put the target on a local file system.");
            }

            await SqliteTableIo.ExecAsync(connection, "BEGIN IMMEDIATE", cancellationToken);
            await MigrateAsync(connection, cancellationToken);
            string? replaced = await ClearAsync(connection, workspace, replace, cancellationToken);
            await SqliteTableIo.ExecAsync(
                connection,
                "INSERT INTO workspace (id, root_path, created_at) VALUES ($id, $root, $at)",
                cancellationToken,
                ("$id", workspace.Id),
                ("$root", workspace.RootPath),
                ("$at", workspace.CreatedAtMs));

            // Rows arrive in sequence order, and a task may name as parent a task created after it (re-parenting):
            // references are checked once, at commit.
            await SqliteTableIo.ExecAsync(connection, "PRAGMA defer_foreign_keys = ON", cancellationToken);
            return new SqliteWorkspaceImport(connection, databasePath, workspace, sequences, replaced, created, createdFolder);
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            if (created)
            {
                SqliteWorkspaceImport.DeleteCreated(databasePath, createdFolder);
            }

            if (ex is SqliteException sqlite)
            {
                throw SqliteTransfer.Describe(sqlite, databasePath);
            }

            throw;
        }
    }

    private async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await SqliteTableIo.ExecAsync(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)", cancellationToken);
        int applied = await SqliteTransfer.SchemaVersionAsync(connection, cancellationToken);
        if (applied > SqliteMigrator.Latest)
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                string.Create(CultureInfo.InvariantCulture, $"'{databasePath}' is at schema version {applied}, newer than this build's {SqliteMigrator.Latest}."),
                "Use the newer TaskOrchestrator build that wrote it, or another target.");
        }

        foreach (var migration in SqliteMigrator.All.Where(m => m.Version > applied))
        {
            await SqliteTableIo.ExecAsync(connection, migration.Sql, cancellationToken);
            await SqliteTableIo.ExecAsync(
                connection,
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $t)",
                cancellationToken,
                ("$v", migration.Version),
                ("$n", migration.Name),
                ("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }
    }

    /// <summary>A workspace file holds one workspace: any workspace row means the target is taken.</summary>
    private async Task<string?> ClearAsync(SqliteConnection connection, TransferWorkspace workspace, bool replace, CancellationToken cancellationToken)
    {
        var existing = new List<(string Id, string Root)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, root_path FROM workspace";
            using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (existing.Count == 0)
        {
            return null;
        }

        var descriptions = new List<string>();
        foreach (var (id, root) in existing)
        {
            descriptions.Add($"workspace {id} ({root}): {await SqliteTableIo.DescribeContentsAsync(connection, id, cancellationToken)}");
        }

        string description = string.Join("; ", descriptions);
        if (!replace)
        {
            bool same = existing.Any(e => e.Id == workspace.Id);
            throw new TransferException(
                TransferFailure.Refused,
                $"'{databasePath}' already holds {(same ? "this" : "another")} {description}. Nothing was changed.",
                "Pass --replace to delete that data and copy over it (back it up first with task-orchestrator backup), or choose another target.");
        }

        foreach (var table in TransferSchema.DeleteOrder)
        {
            await SqliteTableIo.ExecAsync(connection, $"DELETE FROM {table}", cancellationToken);
        }

        await SqliteTableIo.ExecAsync(connection, "DELETE FROM workspace", cancellationToken);
        return description;
    }
}
