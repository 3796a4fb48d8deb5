using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Storage.Sqlite.Tests;

/// <summary>Reads a workspace database directly, bypassing the store, to check what is on disk.</summary>
internal static class RawDatabase
{
    static RawDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
    }

    public static object? Scalar(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static List<object[]> Rows(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object[]>();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public static void Execute(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Creates an empty database file.</summary>
    public static void Create(string databasePath)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        connection.Open();
    }

    /// <summary>Takes the database's write lock as another process would, until the connection is disposed.</summary>
    public static SqliteConnection HoldWriteLock(string databasePath)
    {
        var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE";
        command.ExecuteNonQuery();
        return connection;
    }

    // No pooling: the connection is really closed on dispose, so it holds no lock and no file handle afterwards.
    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        return connection;
    }
}
