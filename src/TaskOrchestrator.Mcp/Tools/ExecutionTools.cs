using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Doing the work: start a task with its context, report it done.</summary>
[McpServerToolType]
public sealed class ExecutionTools
{
    private readonly ToolContextFactory _contexts;
    private readonly TaskExecutor _executor;
    private readonly TaskCompleter _completer;
    private readonly TimeProvider _time;

    /// <summary>Creates the tools.</summary>
    public ExecutionTools(ToolContextFactory contexts, TaskExecutor executor, TaskCompleter completer, TimeProvider time)
    {
        _contexts = contexts;
        _executor = executor;
        _completer = completer;
        _time = time;
    }

    /// <summary>orchestrator_execute_task.</summary>
    [McpServerTool(Name = "orchestrator_execute_task", Title = "Start a task", UseStructuredContent = true, OutputSchemaType = typeof(ExecuteTaskResult), Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Starts a task (moves it to in_progress) and returns everything needed to do it: the specialist role prompt to adopt, the task, its parent's context and the results of the tasks it depends on. Refused while any dependency is unfinished, naming them. Calling it again with the same agent_id returns the context without changing anything.")]
    public async Task<CallToolResult> ExecuteTask(
        McpServer server,
        [Description("The task to start."), MaxLength(128)] string task_id,
        [Description("Your agent id; recorded as the task's holder so others see who works on it."), MaxLength(128)] string? agent_id = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task to start; orchestrator_query_tasks with ready_only=true lists candidates.");
        var agent = InputParsing.Identifier(agent_id, "agent_id");
        var outcome = await _executor.ExecuteAsync(call.Workspace.Store, id, agent, call.Workspace.Roles(), call.Actor(agent), cancellationToken);

        var task = outcome.Task;
        var result = Executed(outcome, agent);
        var text = outcome.AlreadyInProgress
            ? agent is null
                ? $"Task {task.Id} '{task.Title}' was already in progress without an agent id; here is its context again. Pass agent_id so that others can see who holds it."
                : $"Task {task.Id} '{task.Title}' was already in progress by you ({agent}); here is its context again, with your claim's lease token."
            : $"Started task {task.Id} '{task.Title}' as {outcome.Role.Title}; {Text.Count(outcome.DependencyResults.Count, "dependency result")} attached.";
        return ToolResults.Success(result, text);
    }

    /// <summary>orchestrator_complete_task.</summary>
    [McpServerTool(Name = "orchestrator_complete_task", Title = "Report a task", UseStructuredContent = true, OutputSchemaType = typeof(CompleteTaskResult), Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Reports the work on a task in progress and stores it durably as an artifact (summary, detailed work, hash, and the workspace files it touched, each checked to exist inside the workspace). next_action decides the outcome: continue or complete mark the task completed; needs_revision sends it back to pending with the summary as the note; blocked blocks it with the summary as the reason. Returns the artifact, the tasks this completion made ready and the parent's progress.")]
    public async Task<CallToolResult> CompleteTask(
        RequestContext<CallToolRequestParams> request,
        [Description("The task being reported."), MaxLength(128)] string task_id,
        [Description("A short account of what was done, or for needs_revision/blocked, what is needed and why."), MaxLength(4000)] string summary,
        [Description("The full work product: code, findings, decisions, test results. Stored in the workspace database."), MaxLength(1048576)] string? detailed_work = null,
        [Description("continue (done, take the next task), complete (done, and your part of the plan is finished), needs_revision (back to pending with the summary as the note) or blocked (blocked with the summary as the reason).")] NextAction next_action = NextAction.Continue,
        [Description("Files the work created or changed, relative to the workspace root (or absolute inside it); each must exist."), MaxLength(200)] string[]? file_paths = null,
        [Description("What the artifact holds.")] ArtifactType artifact_type = ArtifactType.General,
        [Description("Your agent id; when the task was started by a named agent it must match."), MaxLength(128)] string? agent_id = null,
        [Description("A key unique to this report; repeating the call with it returns the original result and stores nothing twice."), MaxLength(128)] string? idempotency_key = null,
        [Description("The lease token of your claim; required when the task was claimed (orchestrator_claim_next_task, or orchestrator_execute_task with an agent_id). A stale token is refused: the claim was lost."), MaxLength(128)] string? lease_token = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await _contexts.ForCallAsync(request.Server, null, null, cancellationToken);
        var agent = InputParsing.Identifier(agent_id, "agent_id");
        var completion = new CompletionRequest
        {
            TaskId = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task being reported."),
            AgentId = agent,
            LeaseToken = InputParsing.Identifier(lease_token, "lease_token"),
            Summary = InputParsing.RequiredIdentifier(summary, "summary", "Summarize what was done (or why it goes back or is blocked)."),
            DetailedWork = detailed_work,
            NextAction = next_action,
            FilePaths = WorkspaceFiles.Validate(call.Workspace.Root, file_paths, "file_paths"),
            ArtifactType = artifact_type,
        };

        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            CanonicalRequest.For(request.Params, InputParsing.Identifier(idempotency_key, "idempotency_key")),
            _time,
            async unit =>
            {
                var completed = await _completer.CompleteAsync(unit, completion, call.Actor(agent), cancellationToken);
                var dependencies = await unit.Dependencies.GetDependenciesAsync([completed.Task.Id], cancellationToken);
                return (completed, dependencies);
            },
            value => Shape(value.completed, value.dependencies),
            cancellationToken);
    }

    /// <summary>The execution context of a started or claimed task, with the claim when an agent holds it.</summary>
    public static ExecuteTaskResult Executed(ExecutionOutcome outcome, string? agent)
    {
        var task = outcome.Task;
        var parent = outcome.Parent;
        var lease = LeaseView.Of(task);
        return new ExecuteTaskResult(
            ViewMapper.Task(task, outcome.DependencyResults.Select(d => new Core.Tasks.DependencyState(task.Id, d.Task.Id, d.Kind, d.Task.Title, d.Task.Status, d.Task.SatisfiesDependents))),
            outcome.AlreadyInProgress,
            new SpecialistContextView(outcome.Role.Name, outcome.Role.Title, outcome.Role.RenderPrompt(), outcome.Role.Source, outcome.RoleMissing),
            parent is null ? null : new ParentContextView(parent.Id, parent.Title, parent.Description, ViewMapper.Json(parent.ContextJson), WireNames.Of(parent.Status)),
            [.. outcome.Ancestors.Select(ViewMapper.Ref)],
            [.. outcome.DependencyResults.Select(d => new DependencyResultView(
                d.Task.Id,
                d.Task.Title,
                WireNames.Of(d.Task.Status),
                WireNames.Of(d.Kind),
                d.Task.ResultSummary,
                [.. d.Artifacts.Select(a => ViewMapper.Artifact(a, withContent: true))],
                d.ContentTruncated))],
            [.. outcome.Children.Select(ViewMapper.Ref)],
            lease,
            lease is null
                ? $"Work on this task as the {outcome.Role.Title}. When done, call orchestrator_complete_task with task_id='{task.Id}', a summary, the full detailed_work, the file_paths you changed and next_action: 'continue' (done), 'needs_revision' (send back with a note) or 'blocked' (with the reason). Pass an idempotency_key so a retry cannot store the result twice."
                : $"Work on this task as the {outcome.Role.Title}. It is claimed for you until {lease.LeaseExpiresAt:u}: call orchestrator_heartbeat with task_id='{task.Id}' and lease_token='{lease.LeaseToken}' well before then (every {Math.Max(1, lease.LeaseSeconds / 3)} s or so) while you work, or the task is taken back and given to another agent. When done, call orchestrator_complete_task with task_id='{task.Id}', agent_id='{agent ?? task.AssignedAgent}', lease_token='{lease.LeaseToken}', a summary, the full detailed_work, the file_paths you changed and next_action: 'continue' (done), 'needs_revision' (send back with a note) or 'blocked' (with the reason); or give it back with orchestrator_release_task. Pass an idempotency_key so a retry cannot store the result twice.");
    }

    private static (CompleteTaskResult Result, string Text) Shape(CompletionOutcome outcome, IReadOnlyList<Core.Tasks.DependencyState> dependencies)
    {
        var task = outcome.Task;
        var parent = outcome.Parent is { } p
            ? new ParentProgressView(p.Parent.Id, p.Parent.Title, p.Total, p.Completed, p.Ended, p.PercentComplete, p.AllEnded)
            : null;
        var next = NextSteps(outcome, parent);
        var result = new CompleteTaskResult(
            ViewMapper.Task(task, dependencies),
            WireNames.Of(outcome.Action),
            ViewMapper.Artifact(outcome.Artifact),
            [.. outcome.NewlyReady.Select(ViewMapper.Ref)],
            parent,
            next);
        var verb = outcome.Action switch
        {
            NextAction.NeedsRevision => "sent back for revision",
            NextAction.Blocked => "blocked",
            _ => "completed",
        };
        return (result, $"Task {task.Id} '{task.Title}' {verb}; artifact {outcome.Artifact.Id} stored ({outcome.Artifact.ContentLength} chars). {next}");
    }

    private static string NextSteps(CompletionOutcome outcome, ParentProgressView? parent)
    {
        var steps = new List<string>();
        if (outcome.NewlyReady.Count > 0)
        {
            steps.Add($"Now ready: {string.Join(", ", outcome.NewlyReady.Take(5).Select(t => $"{t.Id} '{t.Title}'"))}{(outcome.NewlyReady.Count > 5 ? $" and {outcome.NewlyReady.Count - 5} more" : string.Empty)}.");
        }

        if (parent is { AllSubtasksEnded: true })
        {
            steps.Add($"Every subtask of {parent.ParentTaskId} '{parent.Title}' has ended: synthesize with orchestrator_synthesize_results, then complete the parent.");
        }
        else if (parent is not null)
        {
            steps.Add($"Parent {parent.ParentTaskId} is {parent.PercentComplete}% complete ({parent.CompletedSubtasks}/{parent.TotalSubtasks}).");
        }

        steps.Add(outcome.Action switch
        {
            NextAction.Complete => "Your part is finished; check orchestrator_get_status for anything left.",
            NextAction.NeedsRevision => "The task is pending again with your note; it will be handed out again.",
            NextAction.Blocked => "Resolve the reason, then unblock it with orchestrator_update_task status='pending'.",
            _ => "Take the next ready task: orchestrator_query_tasks ready_only=true sort='priority'.",
        });
        return string.Join(" ", steps);
    }
}
