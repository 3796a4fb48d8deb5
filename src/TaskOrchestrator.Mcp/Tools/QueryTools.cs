using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Finding tasks.</summary>
[McpServerToolType]
public sealed class QueryTools
{
    private readonly ToolContextFactory _contexts;

    /// <summary>Creates the tools.</summary>
    public QueryTools(ToolContextFactory contexts)
    {
        _contexts = contexts;
    }

    /// <summary>orchestrator_query_tasks.</summary>
    [McpServerTool(Name = "orchestrator_query_tasks", Title = "Find tasks", UseStructuredContent = true, OutputSchemaType = typeof(QueryTasksResult), ReadOnly = true, OpenWorld = false)]
    [Description("Finds tasks. Every filter given is applied (list filters match any of their values; different filters must all match). ready_only lists pending tasks whose dependencies are all completed; with sort='priority' that is the order to take them in. Archived tasks are left out unless a status filter names 'archived' or include_archived is set. Returns a page of tasks with their dependencies, the total count and the filters as applied.")]
    public async Task<CallToolResult> QueryTasks(
        McpServer server,
        [Description("Only tasks with any of these statuses."), MaxLength(7)] TaskItemStatus[]? status = null,
        [Description("Only tasks of any of these types."), MaxLength(11)] TaskType[]? task_type = null,
        [Description("Only tasks for any of these specialist roles."), MaxLength(50)] string[]? specialist_type = null,
        [Description("Only tasks of any of these complexities."), MaxLength(5)] TaskComplexity[]? complexity = null,
        [Description("Only tasks of any of these priorities."), MaxLength(4)] TaskPriority[]? priority = null,
        [Description("Only direct subtasks of this task."), MaxLength(128)] string? parent_task_id = null,
        [Description("Only tasks of this session."), MaxLength(128)] string? session_id = null,
        [Description("Full-text search over title and description: every word must match; the last word also matches as a prefix."), MaxLength(500)] string? search_text = null,
        [Description("Only tasks created at or after this instant (ISO 8601)."), MaxLength(40)] string? created_after = null,
        [Description("Only tasks created before this instant (ISO 8601)."), MaxLength(40)] string? created_before = null,
        [Description("Only tasks ready to start: pending with every hard dependency completed.")] bool ready_only = false,
        [Description("Include each task's direct subtasks.")] bool include_children = false,
        [Description("Include each task's artifacts (without content).")] bool include_artifacts = false,
        [Description("Include archived tasks when no status filter is given.")] bool include_archived = false,
        [Description("Order: created_asc (default), created_desc, updated_desc, priority (hand-out order), due_date or title.")] TaskSort sort = TaskSort.CreatedAsc,
        [Description("Page size, 1 to 500."), Range(1, 500)] int limit = 50,
        [Description("Tasks to skip, for paging."), Range(0, int.MaxValue)] int offset = 0,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var input = new TaskQueryInput
        {
            Status = status ?? [],
            TaskType = task_type ?? [],
            SpecialistType = specialist_type ?? [],
            Complexity = complexity ?? [],
            Priority = priority ?? [],
            ParentTaskId = parent_task_id,
            SessionId = session_id,
            SearchText = search_text,
            CreatedAfter = created_after,
            CreatedBefore = created_before,
            ReadyOnly = ready_only,
            IncludeChildren = include_children,
            IncludeArtifacts = include_artifacts,
            IncludeArchived = include_archived,
            Sort = sort,
            Limit = limit,
            Offset = offset,
        };
        var result = await input.RunAsync(call.Workspace.Store, call.Workspace.Roles(), cancellationToken);
        return ToolResults.Success(result, Render(result, offset));
    }

    private static string Render(QueryTasksResult result, int offset)
    {
        var tasks = result.Tasks;
        var total = result.TotalCountExact ? result.TotalCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"about {result.TotalCount}";
        if (tasks.Count == 0)
        {
            return result.TotalCount == 0 ? "No tasks match." : $"No tasks on this page; {total} match in all (offset {offset}).";
        }

        var lines = tasks.Take(20).Select(t => $"- {t.TaskId} [{t.Status}{(t.Ready ? ", ready" : string.Empty)}] {t.Title} ({t.SpecialistType}, {t.Priority})");
        var more = tasks.Count > 20 ? $"\n… and {tasks.Count - 20} more on this page" : string.Empty;
        return $"{tasks.Count} of {total} matching tasks (from offset {offset}):\n{string.Join('\n', lines)}{more}";
    }
}
