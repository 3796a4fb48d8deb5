using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Queries;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
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
        var roles = call.Workspace.Roles();
        var specialists = specialist_type ?? [];
        for (int i = 0; i < specialists.Length; i++)
        {
            if (roles.Find(specialists[i]) is null)
            {
                throw Fail.Invalid($"specialist_type[{i}]", $"'{specialists[i]}' is not a specialist role of this workspace.", "Filter by one of the listed roles.", roles.Names);
            }
        }

        if (search_text is not null && string.IsNullOrWhiteSpace(search_text))
        {
            throw Fail.Missing("search_text", "Omit search_text or give words to search for.");
        }

        var query = new TaskQuery
        {
            Statuses = status?.Distinct().ToArray() ?? [],
            Types = task_type?.Distinct().ToArray() ?? [],
            SpecialistTypes = specialists.Distinct().ToArray(),
            Complexities = complexity?.Distinct().ToArray() ?? [],
            Priorities = priority?.Distinct().ToArray() ?? [],
            ParentId = InputParsing.Identifier(parent_task_id, "parent_task_id"),
            SessionId = InputParsing.Identifier(session_id, "session_id"),
            SearchText = search_text?.Trim(),
            CreatedAfter = InputParsing.Instant(created_after, "created_after"),
            CreatedBefore = InputParsing.Instant(created_before, "created_before"),
            ReadyOnly = ready_only,
            IncludeArchived = include_archived,
            Sort = sort,
            Limit = limit,
            Offset = offset,
            AllowApproximateCount = true,
        };
        if (query.CreatedAfter is { } after && query.CreatedBefore is { } before && after >= before)
        {
            throw Fail.Invalid("created_before", $"created_before ({before:O}) is not after created_after ({after:O}): no task can match.", "Give a range whose end is after its start.");
        }

        var listing = await TaskQueries.ListAsync(call.Workspace.Store, query, include_children, include_artifacts, cancellationToken);
        var page = listing.Page;
        var tasks = page.Items.Select(t => ViewMapper.Task(
            t,
            listing.Dependencies[t.Id],
            listing.Children is null ? null : listing.Children[t.Id],
            listing.Artifacts is null ? null : listing.Artifacts[t.Id])).ToArray();
        var result = new QueryTasksResult(tasks, page.TotalCount, page.TotalIsExact, page.HasMore, page.HasMore ? offset + tasks.Length : null, Applied(query));
        return ToolResults.Success(result, Render(tasks, page, offset));
    }

    private static FiltersApplied Applied(TaskQuery q) => new(
        [.. q.Statuses.Select(WireNames.Of)],
        [.. q.Types.Select(WireNames.Of)],
        q.SpecialistTypes,
        [.. q.Complexities.Select(WireNames.Of)],
        [.. q.Priorities.Select(WireNames.Of)],
        q.ParentId,
        q.SessionId,
        q.SearchText,
        q.CreatedAfter,
        q.CreatedBefore,
        q.ReadyOnly,
        q.IncludeArchived || q.Statuses.Contains(TaskItemStatus.Archived),
        WireNames.Of(q.Sort),
        q.Limit,
        q.Offset);

    private static string Render(TaskView[] tasks, TaskPage page, int offset)
    {
        var total = page.TotalIsExact ? page.TotalCount.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"about {page.TotalCount}";
        if (tasks.Length == 0)
        {
            return page.TotalCount == 0 ? "No tasks match." : $"No tasks on this page; {total} match in all (offset {offset}).";
        }

        var lines = tasks.Take(20).Select(t => $"- {t.TaskId} [{t.Status}{(t.Ready ? ", ready" : string.Empty)}] {t.Title} ({t.SpecialistType}, {t.Priority})");
        var more = tasks.Length > 20 ? $"\n… and {tasks.Length - 20} more on this page" : string.Empty;
        return $"{tasks.Length} of {total} matching tasks (from offset {offset}):\n{string.Join('\n', lines)}{more}";
    }
}
