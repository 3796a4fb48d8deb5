using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using TaskOrchestrator.Core.Storage.Transfer;
using TaskOrchestrator.Storage.Sqlite.Migrations;

namespace TaskOrchestrator.Storage.Sqlite.Transfer;

/// <summary>
/// The SQLite side of workspace transfers: a workspace is one database file, named by its workspace folder
/// (<c>&lt;folder&gt;/.task-orchestrator/orchestrator.db</c>) or by the file itself.
/// </summary>
public static class SqliteTransfer
{
    static SqliteTransfer() => Batteries_V2.Init();

    /// <summary>How long a transfer waits for another writer of the same file.</summary>
    public static TimeSpan BusyTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The database file that <paramref name="path"/> names: a workspace folder, a <c>.task-orchestrator</c>
    /// folder, or the file. With <paramref name="mustExist"/> a path naming nothing is refused; otherwise a path
    /// that does not exist is a new file when it ends in <c>.db</c> and a workspace folder when not.
    /// </summary>
    public static string ResolveDatabasePath(string path, bool mustExist)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var inDataFolder = Path.Combine(full, SqliteStoreOptions.DatabaseFile);
            if (string.Equals(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), SqliteStoreOptions.DataFolder, StringComparison.Ordinal))
            {
                return Exists(inDataFolder, mustExist, path);
            }

            return Exists(SqliteStoreProvider.DatabasePath(full), mustExist, path);
        }

        if (File.Exists(full))
        {
            return full;
        }

        if (mustExist)
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                $"'{path}' does not exist.",
                "Name a workspace folder (holding .task-orchestrator/orchestrator.db) or the database file itself.");
        }

        return full.EndsWith(".db", StringComparison.OrdinalIgnoreCase) ? full : SqliteStoreProvider.DatabasePath(full);
    }

    /// <summary>Opens a snapshot of the workspace in the database at <paramref name="databasePath"/> (which must exist).</summary>
    public static async Task<IWorkspaceExport> OpenExportAsync(string databasePath, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(databasePath, create: false, cancellationToken);
        try
        {
            return await SqliteWorkspaceExport.OpenAsync(connection, databasePath, cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database file at <paramref name="databasePath"/> as a transfer target; it is created when missing.</summary>
    public static IWorkspaceTransferTarget Target(string databasePath) => new SqliteTransferTarget(databasePath);

    /// <summary>Opens a plain connection (no pooling) and proves the file is a SQLite database.</summary>
    internal static async Task<SqliteConnection> OpenAsync(string databasePath, bool create, CancellationToken cancellationToken)
    {
        var settings = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
        };
        var connection = new SqliteConnection(settings.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await SqliteTableIo.ExecAsync(
                connection,
                string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;"),
                cancellationToken);
            _ = await SqliteTableIo.ScalarAsync(connection, "SELECT count(*) FROM sqlite_master", cancellationToken);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw Describe(ex, databasePath);
        }
    }

    /// <summary>A transfer error for a SQLite failure on <paramref name="databasePath"/>.</summary>
    internal static TransferException Describe(SqliteException exception, string databasePath) => (exception.SqliteErrorCode & 0xFF) switch
    {
        raw.SQLITE_NOTADB => new TransferException(
            TransferFailure.InvalidInput,
            $"'{databasePath}' is not a SQLite database ({exception.Message}).",
            "Name a TaskOrchestrator database: a workspace's .task-orchestrator/orchestrator.db or a file made by task-orchestrator backup.",
            exception),
        raw.SQLITE_CORRUPT => new TransferException(
            TransferFailure.InvalidInput,
            $"'{databasePath}' is damaged ({exception.Message}).",
            "Use another copy, such as a backup made by task-orchestrator backup.",
            exception),
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED => new TransferException(
            TransferFailure.Unavailable,
            $"'{databasePath}' stayed locked by another writer for {BusyTimeout.TotalSeconds:0} s ({exception.Message}); nothing was changed.",
            "Retry; if it persists, find the process holding the database (a server or a stuck transaction).",
            exception),
        raw.SQLITE_CANTOPEN or raw.SQLITE_READONLY or raw.SQLITE_PERM or raw.SQLITE_IOERR or raw.SQLITE_FULL => new TransferException(
            TransferFailure.Unavailable,
            $"'{databasePath}' cannot be opened or written ({exception.Message}); nothing was changed.",
            "Check that the file and its folder exist, this user may read and write them, and the disk has room.",
            exception),
        _ => new TransferException(TransferFailure.Unavailable, $"SQLite failed on '{databasePath}': {exception.Message}", "See the message; nothing was changed.", exception),
    };

    /// <summary>The schema version recorded in the database, or 0 when it has no schema_version table.</summary>
    internal static async Task<int> SchemaVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var table = await SqliteTableIo.ScalarAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", cancellationToken);
        return table is null ? 0 : Convert.ToInt32(await SqliteTableIo.ScalarAsync(connection, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Refuses a database that this build cannot read as a workspace of the current schema.</summary>
    internal static void RequireCurrentSchema(int version, string databasePath)
    {
        if (version == 0)
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                $"'{databasePath}' is a SQLite database but not a TaskOrchestrator workspace (it has no schema_version table).",
                "Name a workspace's .task-orchestrator/orchestrator.db or a file made by task-orchestrator backup.");
        }

        if (version != SqliteMigrator.Latest)
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                string.Create(CultureInfo.InvariantCulture, $"'{databasePath}' is at schema version {version}; this build reads version {SqliteMigrator.Latest}."),
                version < SqliteMigrator.Latest
                    ? "Start a server of this build on the workspace once (it migrates the schema when it opens it; a backup file: restore it with --to sqlite: first), then retry."
                    : "Use the newer TaskOrchestrator build that wrote it.");
        }
    }

    /// <summary>Deletes a database file with its journal and WAL companions, if present.</summary>
    internal static void DeleteWithCompanions(string databasePath)
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(databasePath + suffix);
        }
    }

    private static string Exists(string databasePath, bool mustExist, string given)
    {
        if (mustExist && !File.Exists(databasePath))
        {
            throw new TransferException(
                TransferFailure.InvalidInput,
                $"'{given}' holds no workspace database (looked for '{databasePath}').",
                "Name a folder that a TaskOrchestrator server has served, or the database file itself.");
        }

        return databasePath;
    }
}
