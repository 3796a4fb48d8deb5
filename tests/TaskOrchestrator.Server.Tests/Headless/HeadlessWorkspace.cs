using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Server.Tests.Headless;

/// <summary>Plans work through a real server process, then reads back what the workers left in the database.</summary>
internal static class HeadlessWorkspace
{
    /// <summary>Plans <paramref name="plan"/> (orchestrator_plan_task arguments) through a server on the workspace; returns the task ids by title.</summary>
    public static async Task<Dictionary<string, string>> PlanAsync(string workspace, JsonObject plan, CancellationToken cancellationToken)
    {
        await using var server = await ServerProcess.StartInitializedAsync(null, cancellationToken, "--no-supervisor", "--workspace", workspace, "--log-level", "warning");
        var result = await server.CallToolAsync("orchestrator_plan_task", plan, cancellationToken);
        if (result["isError"]?.GetValue<bool>() == true)
        {
            throw new InvalidOperationException($"plan_task failed: {result.ToJsonString()}");
        }

        var created = result["structuredContent"]!;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal) { [created["task"]!["title"]!.GetValue<string>()] = created["task_id"]!.GetValue<string>() };
        foreach (var subtask in created["subtasks"]!.AsArray())
        {
            ids[subtask!["title"]!.GetValue<string>()] = subtask["task_id"]!.GetValue<string>();
        }

        return ids;
    }

    /// <summary>Polls the database until <paramref name="condition"/> holds (the workers run in other processes, on the real clock).</summary>
    public static async Task WaitUntilAsync(string workspace, Func<SqliteConnection, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using (var connection = WorkspaceDatabase.Open(workspace))
            {
                if (condition(connection))
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}.");
            }

            await Task.Delay(200);
        }
    }

    public static string Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Rows(connection, sql, parameters).SingleOrDefault() ?? string.Empty;

    public static List<string> Rows(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }
}
