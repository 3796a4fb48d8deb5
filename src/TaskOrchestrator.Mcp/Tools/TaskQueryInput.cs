using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Queries;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>
/// The filters of a task query as a caller gives them: by orchestrator_query_tasks and by the REST
/// API's <c>GET /api/tasks</c>, which must refuse and accept exactly the same things. The tool's input
/// schema already enforces the sizes and ranges checked here; the REST API has no schema, so they are
/// checked again, with the same limits.
/// </summary>
public sealed record TaskQueryInput
{
    /// <summary>The most values one list filter takes: every status, type, complexity and priority fits.</summary>
    public const int MaxSpecialists = 50;

    /// <summary>Only tasks with any of these statuses.</summary>
    public IReadOnlyList<TaskItemStatus> Status { get; init; } = [];

    /// <summary>Only tasks of any of these types.</summary>
    public IReadOnlyList<TaskType> TaskType { get; init; } = [];

    /// <summary>Only tasks for any of these specialist roles.</summary>
    public IReadOnlyList<string> SpecialistType { get; init; } = [];

    /// <summary>Only tasks of any of these complexities.</summary>
    public IReadOnlyList<TaskComplexity> Complexity { get; init; } = [];

    /// <summary>Only tasks of any of these priorities.</summary>
    public IReadOnlyList<TaskPriority> Priority { get; init; } = [];

    /// <summary>Only direct subtasks of this task.</summary>
    public string? ParentTaskId { get; init; }

    /// <summary>Only tasks of this session.</summary>
    public string? SessionId { get; init; }

    /// <summary>Full-text search over title and description.</summary>
    public string? SearchText { get; init; }

    /// <summary>Only tasks created at or after this instant (ISO 8601 text).</summary>
    public string? CreatedAfter { get; init; }

    /// <summary>Only tasks created before this instant (ISO 8601 text).</summary>
    public string? CreatedBefore { get; init; }

    /// <summary>Only tasks ready to start.</summary>
    public bool ReadyOnly { get; init; }

    /// <summary>Include each task's direct subtasks.</summary>
    public bool IncludeChildren { get; init; }

    /// <summary>Include each task's artifacts (without content).</summary>
    public bool IncludeArtifacts { get; init; }

    /// <summary>Include archived tasks when no status filter is given.</summary>
    public bool IncludeArchived { get; init; }

    /// <summary>The order.</summary>
    public TaskSort Sort { get; init; } = TaskSort.CreatedAsc;

    /// <summary>Page size, 1 to <see cref="Limits.QueryPageSize"/>.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>Tasks to skip.</summary>
    public int Offset { get; init; }

    /// <summary>Validates the filters against the workspace's roles and builds the store query.</summary>
    public TaskQuery ToQuery(RoleCatalog roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        if (Limit is < 1 or > Limits.QueryPageSize)
        {
            var range = $"1..{Limits.QueryPageSize}";
            throw Fail.Invalid("limit", $"'limit' is {Limit}, outside the allowed range {range}.", $"Pass a value in {range}.", [range]);
        }

        if (Offset < 0)
        {
            throw Fail.Invalid("offset", $"'offset' is {Offset}, outside the allowed range 0..+inf.", "Pass a value in 0..+inf.", ["0..+inf"]);
        }

        if (SpecialistType.Count > MaxSpecialists)
        {
            throw Fail.TooLarge("specialist_type", $"'specialist_type' has {SpecialistType.Count} items.", $"{MaxSpecialists} items");
        }

        for (int i = 0; i < SpecialistType.Count; i++)
        {
            if (roles.Find(SpecialistType[i]) is null)
            {
                throw Fail.Invalid($"specialist_type[{i}]", $"'{SpecialistType[i]}' is not a specialist role of this workspace.", "Filter by one of the listed roles.", roles.Names);
            }
        }

        if (SearchText is not null && string.IsNullOrWhiteSpace(SearchText))
        {
            throw Fail.Missing("search_text", "Omit search_text or give words to search for.");
        }

        CheckLength(SearchText, "search_text", Limits.SearchTextLength);
        CheckLength(ParentTaskId, "parent_task_id", Limits.IdentifierLength);
        CheckLength(SessionId, "session_id", Limits.IdentifierLength);
        CheckLength(CreatedAfter, "created_after", 40);
        CheckLength(CreatedBefore, "created_before", 40);

        var query = new TaskQuery
        {
            Statuses = [.. Status.Distinct()],
            Types = [.. TaskType.Distinct()],
            SpecialistTypes = [.. SpecialistType.Distinct()],
            Complexities = [.. Complexity.Distinct()],
            Priorities = [.. Priority.Distinct()],
            ParentId = InputParsing.Identifier(ParentTaskId, "parent_task_id"),
            SessionId = InputParsing.Identifier(SessionId, "session_id"),
            SearchText = SearchText?.Trim(),
            CreatedAfter = InputParsing.Instant(CreatedAfter, "created_after"),
            CreatedBefore = InputParsing.Instant(CreatedBefore, "created_before"),
            ReadyOnly = ReadyOnly,
            IncludeArchived = IncludeArchived,
            Sort = Sort,
            Limit = Limit,
            Offset = Offset,
            AllowApproximateCount = true,
        };
        if (query.CreatedAfter is { } after && query.CreatedBefore is { } before && after >= before)
        {
            throw Fail.Invalid("created_before", $"created_before ({before:O}) is not after created_after ({after:O}): no task can match.", "Give a range whose end is after its start.");
        }

        return query;
    }

    /// <summary>Validates, runs the query in one consistent read and shapes the result the tool returns.</summary>
    public async Task<QueryTasksResult> RunAsync(IOrchestratorStore store, RoleCatalog roles, CancellationToken cancellationToken)
    {
        var query = ToQuery(roles);
        var listing = await TaskQueries.ListAsync(store, query, IncludeChildren, IncludeArtifacts, cancellationToken);
        var page = listing.Page;
        var tasks = page.Items.Select(t => ViewMapper.Task(
            t,
            listing.Dependencies[t.Id],
            listing.Children is null ? null : listing.Children[t.Id],
            listing.Artifacts is null ? null : listing.Artifacts[t.Id])).ToArray();
        return new QueryTasksResult(tasks, page.TotalCount, page.TotalIsExact, page.HasMore, page.HasMore ? Offset + tasks.Length : null, Applied(query));
    }

    private static void CheckLength(string? value, string field, int max)
    {
        if (value is not null && value.Length > max)
        {
            throw Fail.TooLarge(field, $"'{field}' is {value.Length} characters long.", $"{max} characters");
        }
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
}
