using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>
/// The workspace database, opened read-write with the SQLite driver the backend uses but not migrated:
/// a valid database, a passing quick check, the write lock taken and given back, and its schema
/// version against this build's. A missing database is fine when SQLite can create one in its folder.
/// </summary>
internal static class DatabaseCheck
{
    public const string Name = "database";

    public const string SchemaName = "schema";

    // A running server holds the write lock for a commit's length; longer than this means something is stuck.
    private static readonly TimeSpan MaxLockWait = TimeSpan.FromSeconds(5);

    static DatabaseCheck()
    {
        SQLitePCL.Batteries_V2.Init();
    }

    public static (DoctorCheck Database, DoctorCheck Schema) Run(string? workspaceRoot, TimeSpan busyTimeout)
    {
        int latest = SqliteStoreProvider.LatestSchemaVersion;
        if (workspaceRoot is null)
        {
            var none = new JsonObject { ["latest_version"] = latest };
            const string Hint = "Fix the workspace check first.";
            return (DoctorCheck.Warning(Name, "Not checked: there is no usable workspace folder.", Hint, new JsonObject()),
                    DoctorCheck.Warning(SchemaName, "Not checked: there is no usable workspace folder.", Hint, none));
        }

        var path = SqliteStoreProvider.DatabasePath(workspaceRoot);
        return File.Exists(path) ? Inspect(path, latest, busyTimeout < MaxLockWait ? busyTimeout : MaxLockWait) : CheckCreatable(path, latest);
    }

    private static (DoctorCheck, DoctorCheck) CheckCreatable(string path, int latest)
    {
        var figures = new JsonObject { ["path"] = path, ["exists"] = false };
        var schemaFigures = new JsonObject { ["applied_version"] = null, ["latest_version"] = latest };
        var schema = DoctorCheck.Ok(SchemaName, $"No database yet: it will be created at schema version {latest} on first use.", schemaFigures);
        var folder = Path.GetDirectoryName(path)!;
        if (Directory.Exists(path))
        {
            return (DoctorCheck.Critical(Name, $"'{path}' is a folder, not a database file.", "Move that folder away: the server creates its database at this path.", figures), schema);
        }

        if (File.Exists(folder))
        {
            return (DoctorCheck.Critical(Name, $"The database '{path}' cannot be created: '{folder}' is a file, not a folder.", "Move or delete that file (see the workspace check).", figures), schema);
        }

        // Prove SQLite itself can create a WAL database here (locks and shared memory included), then remove it.
        var scratch = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $".doctor-{Environment.ProcessId}-{Guid.NewGuid():N}.db"));
        try
        {
            Directory.CreateDirectory(folder);
            using (var connection = Open(scratch, SqliteOpenMode.ReadWriteCreate))
            {
                Execute(connection, "PRAGMA journal_mode = WAL; CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1);");
            }

            return (DoctorCheck.Ok(Name, $"No database yet: '{path}' will be created on first use (SQLite created and wrote a WAL database in its folder).", figures), schema);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            return (DoctorCheck.Critical(Name, $"The database '{path}' cannot be created: {ex.Message}", "Make the workspace's .task-orchestrator folder writable (see the workspace check).", figures), schema);
        }
        finally
        {
            foreach (var file in new[] { scratch, scratch + "-wal", scratch + "-shm", scratch + "-journal" })
            {
                TryDelete(file);
            }
        }
    }

    private static (DoctorCheck, DoctorCheck) Inspect(string path, int latest, TimeSpan lockWait)
    {
        var figures = new JsonObject
        {
            ["path"] = path,
            ["exists"] = true,
            ["size_bytes"] = new FileInfo(path).Length,
            ["wal_bytes"] = File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0,
        };
        var schemaFigures = new JsonObject { ["applied_version"] = null, ["latest_version"] = latest };
        const string NotChecked = "Not checked: the database could not be read (see the database check).";
        const string RepairHint = "Restore the file from a backup, or move it away to start an empty workspace (the server creates a new one).";

        SqliteConnection connection;
        try
        {
            connection = Open(path, SqliteOpenMode.ReadWrite);
        }
        catch (SqliteException ex)
        {
            return (DoctorCheck.Critical(Name, $"The database '{path}' cannot be opened read-write: {ex.Message}", RepairHint, figures),
                    DoctorCheck.Warning(SchemaName, NotChecked, "Fix the database check first.", schemaFigures));
        }

        using (connection)
        {
            int applied;
            bool hasVersionTable;
            int tables;
            try
            {
                // The first read parses the header: a file that is not a database fails here.
                tables = Convert.ToInt32(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), CultureInfo.InvariantCulture);
                figures["journal_mode"] = Convert.ToString(Scalar(connection, "PRAGMA journal_mode"), CultureInfo.InvariantCulture);
                hasVersionTable = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"), CultureInfo.InvariantCulture) == 1;
                applied = hasVersionTable ? Convert.ToInt32(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version"), CultureInfo.InvariantCulture) : 0;
            }
            catch (SqliteException ex)
            {
                return (DoctorCheck.Critical(Name, $"'{path}' is not a valid SQLite database: {ex.Message}", RepairHint, figures),
                        DoctorCheck.Warning(SchemaName, NotChecked, "Fix the database check first.", schemaFigures));
            }

            var database = CheckHealth(connection, path, lockWait, figures);
            schemaFigures["applied_version"] = applied;
            return (database, Schema(applied, latest, hasVersionTable, tables, schemaFigures));
        }
    }

    private static DoctorCheck CheckHealth(SqliteConnection connection, string path, TimeSpan lockWait, JsonObject figures)
    {
        var started = Stopwatch.GetTimestamp();
        List<string> problems = [];
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            command.CommandTimeout = 0;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
        }
        catch (SqliteException ex)
        {
            problems = [ex.Message];
        }

        figures["quick_check_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        figures["quick_check"] = new JsonArray([.. problems.Take(10).Select(p => (JsonNode?)p)]);
        if (problems is not ["ok"])
        {
            return DoctorCheck.Critical(Name, $"The integrity quick check of '{path}' failed: {string.Join("; ", problems.Take(3))}", "Stop every server of this workspace, then restore the database from a backup (or run sqlite3 '.recover' on a copy).", figures);
        }

        started = Stopwatch.GetTimestamp();
        try
        {
            using var begin = connection.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.CommandTimeout = Math.Max(1, (int)Math.Ceiling(lockWait.TotalSeconds));
            begin.ExecuteNonQuery();
            Execute(connection, "ROLLBACK");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            figures["write_lock_ms"] = null;
            return DoctorCheck.Warning(
                Name,
                $"Another process held the write lock of '{path}' for {lockWait.TotalSeconds:0.#} s; writes would have to wait.",
                $"If no server of this workspace is busy, find the process holding the file (fuser -v '{path}') and stop it.",
                figures);
        }
        catch (SqliteException ex)
        {
            return DoctorCheck.Critical(Name, $"The database '{path}' cannot be written: {ex.Message}", "Make the database file and its folder writable for this user, on a local file system that is not mounted read-only.", figures);
        }

        figures["write_lock_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        return DoctorCheck.Ok(Name, $"'{path}' is a valid SQLite database; quick check ok; the write lock was taken and released.", figures);
    }

    private static DoctorCheck Schema(int applied, int latest, bool hasVersionTable, int tables, JsonObject figures)
    {
        if (!hasVersionTable && tables > 0)
        {
            return DoctorCheck.Critical(
                SchemaName,
                $"The database holds {tables} tables but no schema_version table: it was not created by TaskOrchestrator.",
                "Move the file away so the server can create its own database there.",
                figures);
        }

        if (applied > latest)
        {
            return DoctorCheck.Critical(
                SchemaName,
                $"Schema version {applied} was written by a newer TaskOrchestrator; this build knows versions up to {latest} and will refuse to open it.",
                "Upgrade this server to the version that wrote the database (or newer).",
                figures);
        }

        return applied < latest
            ? DoctorCheck.Warning(SchemaName, $"Schema version {applied} is older than this build's {latest}: it will be migrated on first use.", "Nothing to do unless an older server still uses this workspace: it cannot open the database once migrated; back up the file first if you may go back.", figures)
            : DoctorCheck.Ok(SchemaName, $"Schema version {applied} is current.", figures);
    }

    // Pooling off: the connection is really closed on dispose and holds no lock or file afterwards.
    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover scratch file is harmless; the check's finding does not depend on it.
        }
    }
}
