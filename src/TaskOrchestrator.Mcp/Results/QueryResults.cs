using System.ComponentModel;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>Result of orchestrator_query_tasks.</summary>
public sealed record QueryTasksResult(
    IReadOnlyList<TaskView> Tasks,
    [property: Description("Tasks matching the filters across all pages: exact when total_count_exact is true; otherwise, for a search an estimate from the share of candidates that matched, for filters alone a lower bound (counting stops at 10,000).")] int TotalCount,
    [property: Description("False when total_count is approximate because counting exactly would take work that grows with the workspace; has_more and next_offset are always exact.")] bool TotalCountExact,
    [property: Description("True when more tasks match beyond this page.")] bool HasMore,
    [property: Description("The offset of the next page, or null on the last page.")] int? NextOffset,
    [property: Description("The filters exactly as applied.")] FiltersApplied FiltersApplied);

/// <summary>The normalized filters a query applied.</summary>
public sealed record FiltersApplied(
    IReadOnlyList<string> Status,
    IReadOnlyList<string> TaskType,
    IReadOnlyList<string> SpecialistType,
    IReadOnlyList<string> Complexity,
    IReadOnlyList<string> Priority,
    string? ParentTaskId,
    string? SessionId,
    string? SearchText,
    DateTimeOffset? CreatedAfter,
    DateTimeOffset? CreatedBefore,
    bool ReadyOnly,
    [property: Description("Whether archived tasks were included; they are left out unless a status filter names them or include_archived is set.")] bool IncludeArchived,
    string Sort,
    int Limit,
    int Offset);
