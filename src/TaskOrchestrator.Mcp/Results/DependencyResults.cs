using System.ComponentModel;
using System.Text.Json.Nodes;
using TaskOrchestrator.Core.Maintenance.Dependencies;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>A task a finding names.</summary>
public sealed record MentionedTaskView(
    string TaskId,
    [property: Description("Its title; null when no task with this id exists.")] string? Title,
    [property: Description("Its status; null when no task with this id exists.")] string? Status,
    [property: Description("False for an id that names nothing (a dangling reference).")] bool Exists);

/// <summary>How to resolve a finding.</summary>
public sealed record SuggestedFixView(
    [property: Description("The tool call that fixes it, or null when no tool can (the description says what to do).")] string? Tool,
    [property: Description("The arguments of that call, ready to send.")] JsonObject? Arguments,
    [property: Description("What the fix does, and the alternatives.")] string Description);

/// <summary>One problem orchestrator_validate_dependencies found.</summary>
public sealed record DependencyFindingView(
    DependencyFindingKind Kind,
    [property: Description("error: inconsistent data; warning: work that cannot proceed; info: a risk.")] FindingSeverity Severity,
    string Message,
    [property: Description("The tasks involved, the one to act on first (at most 20); for a single point of failure, the task and the tasks waiting on it directly.")] IReadOnlyList<MentionedTaskView> Tasks,
    [property: Description("How many tasks the finding concerns in all; for a single point of failure, the task and every task waiting on it.")] int TasksInvolved,
    SuggestedFixView SuggestedFix);

/// <summary>Findings of one kind and their share of the score.</summary>
public sealed record FindingKindSummaryView(
    DependencyFindingKind Kind,
    [property: Description("Findings of this kind in the scope.")] int Found,
    [property: Description("Findings of this kind listed (at most 25).")] int Reported,
    [property: Description("Points taken off the score: min(weight x found, cap).")] int Penalty,
    [property: Description("Points per finding.")] int Weight,
    [property: Description("Most points this kind takes off.")] int Cap);

/// <summary>Result of orchestrator_validate_dependencies.</summary>
public sealed record ValidateDependenciesResult(
    [property: Description("0 to 100: 100 minus the penalties of the summary, at least 0.")] int HealthScore,
    [property: Description("workspace, session or subtree.")] string Scope,
    [property: Description("The session analysed, for scope='session'.")] string? SessionId,
    [property: Description("The subtree root, for scope='subtree'.")] string? TargetTaskId,
    [property: Description("Findings touching the scope, by kind (cycles first), at most 25 per kind.")] IReadOnlyList<DependencyFindingView> Findings,
    [property: Description("One entry per kind, found and listed counts and the points taken off.")] IReadOnlyList<FindingKindSummaryView> Summary,
    [property: Description("Tasks in the scope.")] int TasksAnalyzed,
    [property: Description("Dependency edges touching the scope.")] int DependenciesAnalyzed,
    [property: Description("The single-point-of-failure threshold applied.")] int MinDependents,
    [property: Description("True when the analysis stopped at a limit; limits_reached says which.")] bool Truncated,
    [property: Description("One sentence per limit reached.")] IReadOnlyList<string> LimitsReached,
    [property: Description("How health_score was computed.")] string ScoreFormula,
    WorkspaceView Workspace);
