using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>Orders of a task query. Every order ends with the creation sequence, so pages are stable.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskSort>))]
public enum TaskSort
{
    /// <summary>Oldest first.</summary>
    [JsonStringEnumMemberName("created_asc")] CreatedAsc,

    /// <summary>Newest first.</summary>
    [JsonStringEnumMemberName("created_desc")] CreatedDesc,

    /// <summary>Most recently changed first.</summary>
    [JsonStringEnumMemberName("updated_desc")] UpdatedDesc,

    /// <summary>The order work is handed out: highest priority, then lowest complexity, then oldest.</summary>
    [JsonStringEnumMemberName("priority")] Priority,

    /// <summary>Earliest due date first; tasks without one last.</summary>
    [JsonStringEnumMemberName("due_date")] DueDate,

    /// <summary>Alphabetical by title.</summary>
    [JsonStringEnumMemberName("title")] Title,
}
