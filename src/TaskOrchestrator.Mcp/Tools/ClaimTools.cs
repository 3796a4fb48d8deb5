using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Views;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>
/// Many agents at once: each claims the best ready task for itself, keeps the claim alive with
/// heartbeats, and reports or gives it back under the claim's lease token.
/// </summary>
[McpServerToolType]
public sealed class ClaimTools
{
    /// <summary>The lease a claim gets when the agent does not ask for one: 15 minutes.</summary>
    public const int DefaultLeaseSeconds = 900;

    private readonly ToolContextFactory _contexts;
    private readonly TaskClaimer _claimer;
    private readonly TimeProvider _time;
    private readonly AgentHealthPolicy _agents;

    /// <summary>Creates the tools.</summary>
    public ClaimTools(ToolContextFactory contexts, TaskClaimer claimer, TimeProvider time, AgentHealthPolicy agents)
    {
        _contexts = contexts;
        _claimer = claimer;
        _time = time;
        _agents = agents;
    }

    /// <summary>orchestrator_claim_next_task.</summary>
    [McpServerTool(Name = "orchestrator_claim_next_task", Title = "Claim the next ready task", UseStructuredContent = true, OutputSchemaType = typeof(ClaimNextTaskResult), Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Picks the best ready task for you and claims it atomically: no other agent, in this or any other server process on the workspace, gets it while your claim holds. Ready means pending, every hard dependency completed and no subtask still open; best means highest priority, then lowest complexity, then oldest. The task moves to in_progress and comes with everything needed to do it (as orchestrator_execute_task returns) plus your claim: a lease token that every later write must present, a fencing number, and a lease expiry that orchestrator_heartbeat renews. When nothing is ready, claimed=false with how many tasks are pending and in progress.")]
    public async Task<CallToolResult> ClaimNextTask(
        McpServer server,
        [Description("Your agent id; the claim is recorded under it."), MaxLength(128)] string agent_id,
        [Description("Take only tasks for these specialist roles (see the roster); empty takes any."), MaxLength(20)] string[]? specialist_types = null,
        [Description("Take only tasks of these types; empty takes any."), MaxLength(11)] TaskType[]? task_types = null,
        [Description("How long the claim holds without a heartbeat, 10 to 86400 seconds (default 900). Heartbeat well within it.")] int lease_seconds = DefaultLeaseSeconds,
        [Description("Take only tasks under this task (its subtasks at any depth)."), MaxLength(128)] string? parent_task_id = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var agent = InputParsing.RequiredIdentifier(agent_id, "agent_id", "Name yourself with a stable agent id, e.g. 'backend-agent-1'.");
        var lease = TaskClaims.CheckLease(TimeSpan.FromSeconds(lease_seconds), "lease_seconds");
        var roles = call.Workspace.Roles();
        var specialists = (specialist_types ?? []).Select((type, i) => InputParsing.RequiredIdentifier(type, $"specialist_types[{i}]", "Name a role from the roster.")).Distinct(StringComparer.Ordinal).ToArray();
        for (int i = 0; i < specialists.Length; i++)
        {
            roles.Require(specialists[i], $"specialist_types[{i}]");
        }

        var within = InputParsing.Identifier(parent_task_id, "parent_task_id");
        if (within is not null)
        {
            await using var read = await call.Workspace.Store.BeginReadAsync(cancellationToken);
            _ = await read.Tasks.GetAsync(within, cancellationToken) ?? throw Core.Errors.Fail.NotFound("parent_task_id", "task", within);
        }

        var filter = new ClaimFilter(specialists, [.. (task_types ?? []).Distinct()], within);
        var outcome = await _claimer.ClaimNextAsync(call.Workspace.Store, agent, filter, lease, roles, call.Actor(agent), cancellationToken);
        if (outcome.Claimed is { } claimed)
        {
            var execution = ExecutionTools.Executed(claimed, agent);
            var message = $"Claimed task {claimed.Task.Id} '{claimed.Task.Title}' (claim #{claimed.Task.LeaseFence}, lease until {claimed.Task.LeaseExpiresAt:u}).";
            return ToolResults.Success(new ClaimNextTaskResult(true, execution, 0, 0, message), message + " " + execution.Instructions);
        }

        var none = outcome.InProgress > 0
            ? $"No task is ready for you now; {Text.CountUpTo(outcome.InProgress, TaskClaimer.OpenWorkCountCap, "task")} in progress may make more ready: try again in a while."
            : outcome.Pending > 0
                ? $"No task is ready for you: {Text.CountUpTo(outcome.Pending, TaskClaimer.OpenWorkCountCap, "pending task")} wait for dependencies, open subtasks or other roles, and nothing is in progress. Check orchestrator_get_status for what blocks them."
                : "No task is ready: nothing is pending or in progress.";
        return ToolResults.Success(new ClaimNextTaskResult(false, null, outcome.Pending, outcome.InProgress, none), none);
    }

    /// <summary>orchestrator_heartbeat.</summary>
    [McpServerTool(Name = "orchestrator_heartbeat", Title = "Keep a claim alive", UseStructuredContent = true, OutputSchemaType = typeof(HeartbeatResult), Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Renews the lease of your claim on a task, from now, so that it is not taken back while you work. Refused with lease_lost, naming who holds the task now, when your claim already ended: then stop working on it.")]
    public async Task<CallToolResult> Heartbeat(
        RequestContext<CallToolRequestParams> request,
        [Description("The claimed task."), MaxLength(128)] string task_id,
        [Description("Your claim's lease token."), MaxLength(128)] string lease_token,
        [Description("A new lease length, 10 to 86400 seconds; default: the claim's own.")] int? lease_seconds = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await _contexts.ForCallAsync(request.Server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task you claimed.");
        var token = InputParsing.RequiredIdentifier(lease_token, "lease_token", "Pass the lease token your claim returned.");
        TimeSpan? lease = lease_seconds is { } seconds ? TaskClaims.CheckLease(TimeSpan.FromSeconds(seconds), "lease_seconds") : null;
        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            null,
            _time,
            unit => TaskClaims.RenewAsync(unit, id, token, lease, call.Actor(), _time.Now(), cancellationToken),
            task =>
            {
                var view = LeaseView.Of(task)!;
                return (new HeartbeatResult(task.Id, task.AssignedAgent!, view), $"Claim #{task.LeaseFence} on task {task.Id} renewed until {view.LeaseExpiresAt:u}.");
            },
            cancellationToken);
    }

    /// <summary>orchestrator_release_task.</summary>
    [McpServerTool(Name = "orchestrator_release_task", Title = "Give a claimed task back", UseStructuredContent = true, OutputSchemaType = typeof(ReleaseTaskResult), Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Ends your claim on a task and puts it back to pending, ready for the next claim, with your reason recorded. Use it when you cannot finish the task; to report work, use orchestrator_complete_task.")]
    public async Task<CallToolResult> ReleaseTask(
        RequestContext<CallToolRequestParams> request,
        [Description("The claimed task."), MaxLength(128)] string task_id,
        [Description("Your claim's lease token."), MaxLength(128)] string lease_token,
        [Description("Why you give it back; recorded on the task for whoever takes it next."), MaxLength(4000)] string? reason = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var call = await _contexts.ForCallAsync(request.Server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(task_id, "task_id", "Name the task you claimed.");
        var token = InputParsing.RequiredIdentifier(lease_token, "lease_token", "Pass the lease token your claim returned.");
        var why = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        string? agent = null;
        long fence = 0;
        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            null,
            _time,
            async unit =>
            {
                var before = await unit.Tasks.GetAsync(id, cancellationToken);
                (agent, fence) = (before?.AssignedAgent, before?.LeaseFence ?? 0);
                var released = await TaskClaims.ReleaseAsync(unit, id, token, why, call.Actor(), _time.Now(), _agents, cancellationToken);
                var dependencies = await unit.Dependencies.GetDependenciesAsync([id], cancellationToken);
                return (released, dependencies);
            },
            value => (new ReleaseTaskResult(ViewMapper.Task(value.released, value.dependencies), agent!, fence), $"Released task {id} (claim #{fence} of agent '{agent}'); it is pending again."),
            cancellationToken);
    }
}
