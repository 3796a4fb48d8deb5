using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Maintenance.Dependencies;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Validation of the dependency graph and the task tree.</summary>
[McpServerToolType]
public sealed class DependencyTools
{
    /// <summary>The score formula as stated in results and in the tool description.</summary>
    public const string ScoreFormula =
        "health_score = max(0, 100 - sum over kinds of min(weight x found, cap)); weight/cap: dependency_cycle 25/50, dangling_reference 15/45, blocked_by_ended_work 10/30, orphaned_subtree 10/30, single_point_of_failure 5/15.";

    private const int TextFindings = 10;
    private readonly ToolContextFactory _contexts;

    /// <summary>Creates the tools.</summary>
    public DependencyTools(ToolContextFactory contexts)
    {
        _contexts = contexts;
    }

    /// <summary>orchestrator_validate_dependencies.</summary>
    [McpServerTool(Name = "orchestrator_validate_dependencies", Title = "Validate dependencies", UseStructuredContent = true, OutputSchemaType = typeof(ValidateDependenciesResult), ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Checks the dependency graph and the task tree and scores their health, changing nothing. Finds dependency or parent cycles and references to tasks that do not exist (errors: a hand-edited or older database), waiting tasks whose hard dependency failed, was cancelled or archived unfinished, and open subtasks whose parent was cancelled, archived or removed (warnings: work that can never proceed or roll up), and single points of failure: unfinished tasks that at least min_dependents (default 5) waiting tasks depend on, directly or transitively through hard dependencies (info). Each finding names its tasks with titles and suggests the tool call that fixes it. " + ScoreFormula + " Lists at most 25 findings per kind (all are counted) and says in limits_reached when it stopped at a limit.")]
    public async Task<CallToolResult> ValidateDependencies(
        McpServer server,
        [Description("Which tasks: workspace (default), session (the given or current session) or subtree (target_task_id and its subtasks). The whole graph is analysed; findings involving a task of the scope are reported.")] MaintenanceScope scope = MaintenanceScope.Workspace,
        [Description("Root of the subtree for scope='subtree'; giving it with the default scope implies 'subtree'."), MaxLength(128)] string? target_task_id = null,
        [Description("The session for scope='session'; defaults to the session current on this connection."), MaxLength(128)] string? session_id = null,
        [Description("A task is a single point of failure when at least this many waiting tasks depend on it, directly or transitively (2 or more; default 5)."), Range(DependencyValidator.MinDependentsFloor, 1_000_000)] int min_dependents = DependencyValidator.DefaultMinDependents,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, InputParsing.Identifier(session_id, "session_id"), cancellationToken);
        var targetTask = InputParsing.Identifier(target_task_id, "target_task_id");
        if (targetTask is not null && scope == MaintenanceScope.Session)
        {
            throw Core.Errors.Fail.Invalid("target_task_id", "target_task_id names a subtree, but scope is 'session'.", "Use scope='subtree' with target_task_id, or drop target_task_id.", ["subtree"]);
        }

        // Naming a task without a scope means its subtree, as in orchestrator_maintenance_coordinator.
        scope = targetTask is not null ? MaintenanceScope.Subtree : scope;
        var target = new MaintenanceTarget(scope, scope == MaintenanceScope.Session ? call.SessionId : null, targetTask);
        var report = await DependencyValidator.ValidateAsync(call.Workspace.Store, target, min_dependents, cancellationToken);

        var result = new ValidateDependenciesResult(
            report.Score,
            WireNames.Of(scope),
            target.SessionId,
            target.RootTaskId,
            [.. report.Findings.Select(Finding)],
            [.. report.Summary.Select(s => new FindingKindSummaryView(s.Kind, s.Found, s.Reported, s.Penalty, DependencyHealthScore.Weight(s.Kind), DependencyHealthScore.Cap(s.Kind)))],
            report.TasksAnalyzed,
            report.DependenciesAnalyzed,
            report.MinDependents,
            report.Truncated,
            report.LimitsReached,
            ScoreFormula,
            SessionViews.Workspace(call));
        return ToolResults.Success(result, Render(result));
    }

    private static DependencyFindingView Finding(DependencyFinding finding) => new(
        finding.Kind,
        finding.Severity,
        finding.Message,
        [.. finding.Tasks.Select(t => new MentionedTaskView(t.Id, t.Title, t.Status is { } s ? WireNames.Of(s) : null, t.Exists))],
        finding.TasksInvolved,
        new SuggestedFixView(finding.Fix.Tool, finding.Fix.Arguments, finding.Fix.Description));

    private static string Render(ValidateDependenciesResult result)
    {
        var text = new StringBuilder();
        var found = result.Summary.Where(s => s.Found > 0).Select(s => $"{s.Found} {WireNames.Of(s.Kind)}").ToArray();
        text.Append(CultureInfo.InvariantCulture, $"Dependency health {result.HealthScore}/100 ({result.Scope}): ");
        text.Append(found.Length == 0 ? "no findings" : string.Join(", ", found));
        text.Append(CultureInfo.InvariantCulture, $" over {Text.Count(result.TasksAnalyzed, "task")} and {Text.Count(result.DependenciesAnalyzed, "dependency", "dependencies")}.");
        foreach (var finding in result.Findings.Take(TextFindings))
        {
            var fix = finding.SuggestedFix.Tool is null ? finding.SuggestedFix.Description : $"{finding.SuggestedFix.Tool} {finding.SuggestedFix.Arguments!.ToJsonString()}";
            text.Append(CultureInfo.InvariantCulture, $"\n- [{WireNames.Of(finding.Severity)}] {WireNames.Of(finding.Kind)}: {finding.Message} Fix: {fix}");
        }

        if (result.Findings.Count > TextFindings)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- … and {result.Findings.Count - TextFindings} more in the structured result.");
        }

        foreach (var limit in result.LimitsReached)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nLimit reached: {limit}");
        }

        return text.ToString();
    }
}
