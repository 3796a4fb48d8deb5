using System.Globalization;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Storage.Sqlite.Migrations;

namespace TaskOrchestrator.Storage.Sqlite.Transfer;

/// <summary>
/// Backups of workspace databases with SQLite's online backup API, which copies a consistent snapshot while
/// servers keep writing (WAL readers never block writers), and restores that keep the replaced file aside.
/// </summary>
public static class SqliteBackup
{
    /// <summary>
    /// Copies the database at <paramref name="databasePath"/> into <paramref name="outputPath"/>: first into a
    /// temporary file beside it, checked with <c>PRAGMA integrity_check</c> and made self-contained (rollback
    /// journal, no WAL companion), then renamed into place. Returns what the copy holds.
    /// </summary>
    public static async Task<BackupFacts> BackupAsync(string databasePath, string outputPath, CancellationToken cancellationToken)
    {
        await using (var source = await SqliteTransfer.OpenAsync(databasePath, create: false, cancellationToken))
        {
            // Refuse a file that is not a workspace before copying anything.
            SqliteTransfer.RequireCurrentSchema(await SqliteTransfer.SchemaVersionAsync(source, cancellationToken), databasePath);
        }

        return await CopyIntoPlaceAsync(databasePath, outputPath, "delete", cancellationToken);
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is an intact TaskOrchestrator database this build can open: a SQLite
    /// file, <c>integrity_check</c> ok, a schema version no newer than this build's, exactly one workspace.
    /// </summary>
    public static async Task<BackupFacts> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                Directory.Exists(path) ? $"'{path}' is a folder, not a backup file." : $"The backup file '{path}' does not exist.",
                "Name a file made by task-orchestrator backup.");
        }

        await using var connection = await SqliteTransfer.OpenAsync(path, create: false, cancellationToken);
        try
        {
            var check = await IntegrityAsync(connection, cancellationToken);
            if (check != "ok")
            {
                throw new TransferException(TransferFailure.InvalidInput, $"'{path}' is damaged: integrity_check says {check}.", "Use another backup.");
            }

            int version = await SqliteTransfer.SchemaVersionAsync(connection, cancellationToken);
            if (version == 0 || version > SqliteMigrator.Latest)
            {
                SqliteTransfer.RequireCurrentSchema(version, path);
            }

            var workspaces = new List<TransferWorkspace>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT id, root_path, created_at FROM workspace";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    workspaces.Add(new TransferWorkspace(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
                }
            }

            if (workspaces.Count != 1)
            {
                throw new TransferException(
                    TransferFailure.InvalidInput,
                    string.Create(CultureInfo.InvariantCulture, $"'{path}' holds {workspaces.Count} workspaces; a backup holds exactly one."),
                    "Name a file made by task-orchestrator backup.");
            }

            var rows = new List<KeyValuePair<string, long>>();
            foreach (var table in TransferSchema.Tables)
            {
                rows.Add(new(table.Name, Convert.ToInt64(await SqliteTableIo.ScalarAsync(connection, $"SELECT count(*) FROM {table.Name}", cancellationToken), CultureInfo.InvariantCulture)));
            }

            return new BackupFacts(Path.GetFullPath(path), new FileInfo(path).Length, version, workspaces[0], rows);
        }
        catch (SqliteException ex)
        {
            throw SqliteTransfer.Describe(ex, path);
        }
    }

    /// <summary>
    /// The server instances of the database at <paramref name="databasePath"/> that count as running: state
    /// running or stopping and a heartbeat within <paramref name="ttl"/> (the stale-instance sweeper's test).
    /// </summary>
    public static async Task<IReadOnlyList<LiveInstance>> LiveInstancesAsync(string databasePath, DateTimeOffset now, TimeSpan ttl, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteTransfer.OpenAsync(databasePath, create: false, cancellationToken);
        try
        {
            if (await SqliteTableIo.ScalarAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'server_instance'", cancellationToken) is null)
            {
                return [];
            }

            var live = new List<LiveInstance>();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, role, host, process_id, heartbeat_at FROM server_instance WHERE state IN ('running', 'stopping') AND heartbeat_at >= $cutoff ORDER BY heartbeat_at DESC";
            command.Parameters.AddWithValue("$cutoff", (now - ttl).ToUnixTimeMilliseconds());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                live.Add(new LiveInstance(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), now - DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
            }

            return live;
        }
        catch (SqliteException ex)
        {
            throw SqliteTransfer.Describe(ex, databasePath);
        }
    }

    /// <summary>
    /// Puts the verified backup <paramref name="backupPath"/> in place as <paramref name="databasePath"/>: the backup
    /// is copied into a temporary file beside the target and checked first; then the current database with its
    /// WAL companions is renamed aside (<c>orchestrator.db.replaced-&lt;UTC time&gt;</c>) and the copy renamed in.
    /// Returns the aside path, or null when there was no database.
    /// </summary>
    public static async Task<string?> RestoreAsync(string backupPath, string databasePath, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var staged = await StageAsync(backupPath, databasePath, cancellationToken);
        string? aside = null;
        if (File.Exists(databasePath))
        {
            aside = databasePath + ".replaced-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            File.Move(databasePath, aside);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(databasePath + suffix))
                {
                    File.Move(databasePath + suffix, aside + suffix);
                }
            }
        }

        File.Move(staged, databasePath);
        return aside;
    }

    private static async Task<string> StageAsync(string backupPath, string databasePath, CancellationToken cancellationToken)
    {
        var staged = databasePath + ".restoring-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        await CopyAsync(backupPath, staged, "wal", cancellationToken);
        return staged;
    }

    private static async Task<BackupFacts> CopyIntoPlaceAsync(string databasePath, string outputPath, string journalMode, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var staged = full + ".partial-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        await CopyAsync(databasePath, staged, journalMode, cancellationToken);
        File.Move(staged, full, overwrite: true);
        return await VerifyAsync(full, cancellationToken);
    }

    /// <summary>Online-backup copy of <paramref name="from"/> into a new file <paramref name="to"/>, checked, in the given journal mode.</summary>
    private static async Task CopyAsync(string from, string to, string journalMode, CancellationToken cancellationToken)
    {
        SqliteTransfer.DeleteWithCompanions(to);
        try
        {
            await using (var source = await SqliteTransfer.OpenAsync(from, create: false, cancellationToken))
            await using (var target = await SqliteTransfer.OpenAsync(to, create: true, cancellationToken))
            {
                source.BackupDatabase(target);
                var mode = Convert.ToString(await SqliteTableIo.ScalarAsync(target, $"PRAGMA journal_mode = {journalMode}", cancellationToken), CultureInfo.InvariantCulture);
                if (!string.Equals(mode, journalMode, StringComparison.OrdinalIgnoreCase))
                {
                    throw new TransferException(TransferFailure.Unavailable, $"'{to}' refused journal mode {journalMode} (it is '{mode}').", "Write to a local file system.");
                }

                var check = await IntegrityAsync(target, cancellationToken);
                if (check != "ok")
                {
                    throw new TransferException(TransferFailure.Unavailable, $"The copy '{to}' failed its integrity check: {check}. The source may be damaged.", "Check the source with task-orchestrator doctor.");
                }
            }
        }
        catch (SqliteException ex)
        {
            SqliteTransfer.DeleteWithCompanions(to);
            throw SqliteTransfer.Describe(ex, from);
        }
        catch
        {
            SqliteTransfer.DeleteWithCompanions(to);
            throw;
        }
    }

    /// <summary>Folds the WAL of <paramref name="path"/> into the file and switches it to a rollback journal, so the one file is the whole backup.</summary>
    public static async Task MakeStandaloneAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteTransfer.OpenAsync(path, create: false, cancellationToken);
        try
        {
            var mode = Convert.ToString(await SqliteTableIo.ScalarAsync(connection, "PRAGMA journal_mode = DELETE", cancellationToken), CultureInfo.InvariantCulture);
            var check = await IntegrityAsync(connection, cancellationToken);
            if (!string.Equals(mode, "delete", StringComparison.OrdinalIgnoreCase) || check != "ok")
            {
                throw new TransferException(TransferFailure.Unavailable, $"'{path}' could not be made a standalone file (journal mode '{mode}', integrity {check}).", "Write the backup to a local file system.");
            }
        }
        catch (SqliteException ex)
        {
            throw SqliteTransfer.Describe(ex, path);
        }
    }

    private static async Task<string> IntegrityAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken) && lines.Count < 5)
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join("; ", lines);
    }
}
