using System.Globalization;
using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>
/// Row counts and version sums of a workspace database, read directly from the file. Two equal
/// snapshots mean no row was added, removed or versioned in between.
/// </summary>
internal sealed record StoreSnapshot(
    long Tasks,
    long Dependencies,
    long Artifacts,
    long Events,
    long Sessions,
    long IdempotencyRecords,
    long TaskVersionSum,
    long SessionVersionSum,
    long LatestTaskUpdate,
    long LatestSessionActivity)
{
    static StoreSnapshot()
    {
        SQLitePCL.Batteries_V2.Init();
    }

    public static StoreSnapshot Take(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return new StoreSnapshot(
            Scalar(connection, "SELECT count(*) FROM task"),
            Scalar(connection, "SELECT count(*) FROM dependency"),
            Scalar(connection, "SELECT count(*) FROM artifact"),
            Scalar(connection, "SELECT count(*) FROM event"),
            Scalar(connection, "SELECT count(*) FROM session"),
            Scalar(connection, "SELECT count(*) FROM idempotency"),
            Scalar(connection, "SELECT coalesce(sum(version), 0) FROM task"),
            Scalar(connection, "SELECT coalesce(sum(version), 0) FROM session"),
            Scalar(connection, "SELECT coalesce(max(updated_at), 0) FROM task"),
            Scalar(connection, "SELECT coalesce(max(last_activity_at), 0) FROM session"));
    }

    /// <summary>A single value of the database, for assertions on what is stored.</summary>
    public static string? Value(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
