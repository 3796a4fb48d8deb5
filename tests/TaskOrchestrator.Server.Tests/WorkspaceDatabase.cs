using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Server.Tests;

/// <summary>Direct access to a workspace database file, to check what a server left behind (opened read-write so that SQLite recovers the log as a restarted server would).</summary>
internal static class WorkspaceDatabase
{
    static WorkspaceDatabase()
    {
        SQLitePCL.Batteries_V2.Init();
    }

    public static string PathOf(string workspace) => Path.Combine(workspace, ".task-orchestrator", "orchestrator.db");

    public static SqliteConnection Open(string workspace)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = PathOf(workspace), Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}
