using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Reports;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Reports: status of the work and synthesis of results.</summary>
[McpServerToolType]
public sealed class ReportTools
{
    private const int ListLimit = 25;
    private readonly ToolContextFactory _contexts;
    private readonly ToolCallMetrics _metrics;
    private readonly SloTracker _slo;
    private readonly TimeProvider _time;
    private readonly OrchestratorOptions _options;

    /// <summary>Creates the tools.</summary>
    public ReportTools(ToolContextFactory contexts, ToolCallMetrics metrics, SloTracker slo, TimeProvider time, IOptions<OrchestratorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _contexts = contexts;
        _metrics = metrics;
        _slo = slo;
        _time = time;
        _options = options.Value;
    }

    /// <summary>orchestrator_synthesize_results.</summary>
    [McpServerTool(Name = "orchestrator_synthesize_results", Title = "Synthesize results", UseStructuredContent = true, OutputSchemaType = typeof(SynthesizeResultsResult), ReadOnly = true, OpenWorld = false)]
    [Description("Collects the results of a task's whole subtree: status counts, success and completion rates, every artifact, the key outcomes in completion order, what remains open, the timeline from the event log, and a markdown report combining them.")]
    public async Task<CallToolResult> SynthesizeResults(
        McpServer server,
        [Description("The task whose subtree to synthesize."), MaxLength(128)] string parent_task_id,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(parent_task_id, "parent_task_id", "Name the task whose subtasks' results to combine.");
        var report = await ResultSynthesizer.SynthesizeAsync(call.Workspace.Store, id, cancellationToken);
        IReadOnlyList<Core.Tasks.DependencyState> dependencies;
        await using (var unit = await call.Workspace.Store.BeginReadAsync(cancellationToken))
        {
            dependencies = await unit.Dependencies.GetDependenciesAsync([id], cancellationToken);
        }

        var artifactsByTask = report.Artifacts.ToLookup(a => a.TaskId);
        var markdown = SynthesisMarkdown.Render(report, _time.Now());
        var result = new SynthesizeResultsResult(
            ViewMapper.Task(report.Parent, dependencies),
            report.Subtasks.Count,
            ViewMapper.StatusCounts(report.Counts),
            report.SuccessRate,
            report.CompletionRate,
            [.. report.Artifacts.Select(a => ViewMapper.Artifact(a))],
            [.. report.Outcomes.Select(t => new OutcomeView(t.Id, t.Title, t.SpecialistType, t.CompletedAt, t.ResultSummary, [.. artifactsByTask[t.Id].Select(a => a.Id)]))],
            [.. report.Remaining.Select(ViewMapper.Ref)],
            [.. report.Timeline.Select(ViewMapper.Event)],
            report.TimelineTruncated,
            markdown);
        var completed = report.Counts.GetValueOrDefault(Core.Tasks.TaskItemStatus.Completed);
        return ToolResults.Success(result, $"Synthesis of {id} '{report.Parent.Title}': {completed}/{report.Subtasks.Count} subtasks completed, success rate {(report.SuccessRate is { } r ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r * 100:0.#}%") : "n/a")}, {Text.Count(report.Artifacts.Count, "artifact")}, {report.Remaining.Count} still open.\n\n{markdown}");
    }

    /// <summary>orchestrator_get_status.</summary>
    [McpServerTool(Name = "orchestrator_get_status", Title = "Status of the work", UseStructuredContent = true, OutputSchemaType = typeof(GetStatusResult), ReadOnly = true, OpenWorld = false)]
    [Description("Shows where the work stands in the workspace (or one session): counts by status and by specialist, tasks in progress and who holds them, ready tasks in hand-out order, blocked tasks with their reasons, waiting tasks with what they wait for; optionally recent completions, tool-call counts with latency percentiles, per-tool SLOs (availability and latency against their objectives, with the remaining error budget), and memory and database size.")]
    public async Task<CallToolResult> GetStatus(
        McpServer server,
        [Description("Also list recently completed tasks.")] bool include_completed = false,
        [Description("Also report tool-call counts, errors and latency percentiles of this server process.")] bool include_performance_metrics = false,
        [Description("Also report process memory, database and write-ahead-log size, artifacts and uptime.")] bool include_resource_usage = false,
        [Description("Also report each tool's availability and latency SLIs over the rolling window (Slo:Window, default one hour) against their objectives, with the remaining error budget and burn rate.")] bool include_slo = false,
        [Description("Limit the report to this session."), MaxLength(128)] string? session_id = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var result = await StatusAsync(call, session_id, include_completed, include_performance_metrics, include_resource_usage, include_slo, cancellationToken);
        var text = $"{Text.Count(result.TotalTasks, "task")}: {string.Join(", ", result.CountsByStatus.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key}"))}. {result.ActiveTotal} in progress, {result.ReadyTotal} ready, {result.BlockedTotal} blocked, {result.WaitingTotal} waiting.";
        return ToolResults.Success(result, result.Slo is { } slo ? $"{text} {SloText.Summarize(slo)}" : text);
    }

    /// <summary>
    /// The report of orchestrator_get_status for the workspace of <paramref name="call"/>; the REST API's
    /// <c>GET /api/status</c> returns the same.
    /// </summary>
    public async Task<GetStatusResult> StatusAsync(ToolContext call, string? sessionIdArgument, bool includeCompleted, bool includePerformanceMetrics, bool includeResourceUsage, bool includeSlo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var sessionId = InputParsing.Identifier(sessionIdArgument, "session_id");
        var report = await StatusReporter.ReportAsync(call.Workspace.Store, sessionId, includeCompleted, ListLimit, cancellationToken);
        var bySpecialist = report.BySpecialist
            .GroupBy(c => c.SpecialistType)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.ToDictionary(c => WireNames.Of(c.Status), c => c.Count));

        PerformanceView? performance = null;
        if (includePerformanceMetrics)
        {
            var tools = _metrics.Snapshot();
            performance = new PerformanceView(_metrics.Since, tools.Sum(t => t.Calls), tools.Sum(t => t.Errors), tools);
        }

        var result = new GetStatusResult(
            SessionViews.Workspace(call),
            sessionId,
            ViewMapper.StatusCounts(report.Counts),
            report.Total,
            bySpecialist,
            [.. report.Active.Items.Select(t => new ActiveTaskView(ViewMapper.Ref(t), t.AssignedAgent, t.StartedAt, t.UpdatedAt))],
            report.Active.TotalCount,
            [.. report.Ready.Items.Select(ViewMapper.Ref)],
            report.Ready.TotalCount,
            SessionViews.Blocked(report),
            report.Blocked.TotalCount,
            SessionViews.Waiting(report),
            report.Waiting.TotalCount,
            report.RecentlyCompleted is null ? null : [.. report.RecentlyCompleted.Items.Select(ViewMapper.Ref)],
            performance,
            includeResourceUsage ? await ResourcesAsync(call, cancellationToken) : null,
            includeSlo ? _slo.Report() : null);
        return result;
    }

    private async Task<ResourceUsageView> ResourcesAsync(ToolContext call, CancellationToken cancellationToken)
    {
        var store = call.Workspace.Store;
        var size = await store.Diagnostics.GetSizeAsync(cancellationToken);
        var (applied, _) = await store.Diagnostics.GetSchemaVersionAsync(cancellationToken);
        (int Count, long TotalLength) artifacts;
        await using (var unit = await store.BeginReadAsync(cancellationToken))
        {
            artifacts = await unit.Artifacts.GetTotalsAsync(cancellationToken);
        }

        using var process = Process.GetCurrentProcess();
        return new ResourceUsageView(
            process.WorkingSet64,
            process.PeakWorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            size.DatabaseBytes,
            size.WalBytes,
            artifacts.Count,
            artifacts.TotalLength,
            Math.Round((_time.GetUtcNow() - _options.StartedAt).TotalSeconds, 1),
            applied);
    }
}
