using System.Text;
using System.Text.Json;
using TaskOrchestrator.Bench.Shared;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>Tool arguments as JSON text, built before the timed loops.</summary>
internal static class ToolArguments
{
    /// <summary>orchestrator_plan_task for one task.</summary>
    public static string PlanOne(GeneratedTask task) => Json(writer =>
    {
        writer.WriteStartObject();
        WriteTaskFields(writer, task);
        writer.WriteEndObject();
    });

    /// <summary>orchestrator_plan_task for a root and <paramref name="subtasks"/> flat subtasks.</summary>
    public static string PlanTree(GeneratedTask root, IReadOnlyList<GeneratedTask> subtasks) => Json(writer =>
    {
        writer.WriteStartObject();
        WriteTaskFields(writer, root);
        writer.WriteStartArray("subtasks");
        foreach (var subtask in subtasks)
        {
            writer.WriteStartObject();
            WriteTaskFields(writer, subtask);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>orchestrator_query_tasks: a page of 50, status and priority filters, search text.</summary>
    public static string Query(string searchText, string status = "pending", string priority = "high", int limit = 50) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("status");
        writer.WriteStringValue(status);
        writer.WriteEndArray();
        writer.WriteStartArray("priority");
        writer.WriteStringValue(priority);
        writer.WriteEndArray();
        writer.WriteString("search_text", searchText);
        writer.WriteNumber("limit", limit);
        writer.WriteEndObject();
    });

    /// <summary>orchestrator_query_tasks with search text only, to count what a word matches.</summary>
    public static string SearchOnly(string searchText) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("search_text", searchText);
        writer.WriteNumber("limit", 1);
        writer.WriteEndObject();
    });

    private static void WriteTaskFields(Utf8JsonWriter writer, GeneratedTask task)
    {
        writer.WriteString("title", task.Title);
        writer.WriteString("description", task.Description);
        writer.WriteString("task_type", task.TaskType);
        writer.WriteString("priority", task.Priority);
        writer.WriteString("complexity", task.Complexity);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
