using System.ComponentModel;
using TaskOrchestrator.Mcp.Views;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>A task the cleanup scan found.</summary>
public sealed record CleanupItemView(
    TaskRef Task,
    [property: Description("What is wrong with it.")] string Problem,
    [property: Description("reset_to_pending, archived or reported (left alone); on a dry run, what would be done.")] string Action,
    string? AssignedAgent,
    DateTimeOffset UpdatedAt);

/// <summary>What scan_cleanup found and did.</summary>
public sealed record CleanupView(
    [property: Description("The inactivity threshold used for in-progress tasks.")] string StaleAfter,
    IReadOnlyList<CleanupItemView> StaleTasks,
    IReadOnlyList<CleanupItemView> Orphans,
    [property: Description("Tasks changed (0 on a dry run).")] int Changed);

/// <summary>One problem validate_structure found.</summary>
public sealed record FindingView(string Check, [property: Description("error or warning.")] string Severity, string Message, IReadOnlyList<string> TaskIds, [property: Description("How to resolve it.")] string Fix);

/// <summary>What validate_structure checked and found.</summary>
public sealed record ValidationView(
    string Level,
    [property: Description("True when nothing at error severity was found.")] bool Valid,
    IReadOnlyList<string> ChecksRun,
    IReadOnlyList<FindingView> Findings,
    int TasksChecked,
    int DependenciesChecked,
    int ArtifactsVerified);

/// <summary>A document written into the workspace.</summary>
public sealed record DocumentView(
    [property: Description("Absolute path of the document.")] string Path,
    [property: Description("Path relative to the workspace.")] string RelativePath,
    [property: Description("False on a dry run: the content is returned but not written.")] bool Written,
    int Bytes,
    [property: Description("The markdown content.")] string Content);

/// <summary>Result of orchestrator_maintenance_coordinator.</summary>
public sealed record MaintenanceResult(
    string Action,
    string Scope,
    bool DryRun,
    [property: Description("Present for scan_cleanup.")] CleanupView? Cleanup,
    [property: Description("Present for validate_structure.")] ValidationView? Validation,
    [property: Description("Present for update_documentation and prepare_handover.")] DocumentView? Document,
    WorkspaceView Workspace);
