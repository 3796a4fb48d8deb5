using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>Agents: registering who takes work, and their health: counters, risk and claim circuit.</summary>
[McpServerToolType]
public sealed class AgentTools
{
    /// <summary>The most agents one status call lists.</summary>
    public const int ListLimit = 500;

    /// <summary>The most held claims one status call lists, over all agents.</summary>
    public const int ClaimLimit = 2_000;

    private const int NameLength = 200;

    private readonly ToolContextFactory _contexts;
    private readonly TimeProvider _time;
    private readonly AgentHealthPolicy _policy;

    /// <summary>Creates the tools.</summary>
    public AgentTools(ToolContextFactory contexts, TimeProvider time, AgentHealthPolicy policy)
    {
        _contexts = contexts;
        _time = time;
        _policy = policy;
    }

    /// <summary>orchestrator_register_agent.</summary>
    [McpServerTool(Name = "orchestrator_register_agent", Title = "Register as an agent", UseStructuredContent = true, OutputSchemaType = typeof(RegisterAgentResult), Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Registers you as an agent of this workspace (or updates your registration): your agent id, a display name, your kind (llm or worker) and the specialist roles you take. The MCP client you connect with is recorded too. Registering is optional: an unknown agent_id that claims a task is registered automatically as an llm agent named by its id. Counters and the claim circuit (see orchestrator_agent_status) survive re-registration.")]
    public async Task<CallToolResult> RegisterAgent(
        McpServer server,
        [Description("Your agent id: stable across calls, e.g. 'backend-agent-1'. Claims and reports are counted under it."), MaxLength(128)] string agent_id,
        [Description("A display name; default: the agent id."), MaxLength(NameLength)] string? name = null,
        [Description("llm (a language model through an MCP client) or worker (a headless process).")] AgentKind kind = AgentKind.Llm,
        [Description("The specialist roles you take (see the roster); empty: any."), MaxLength(20)] string[]? specialist_types = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var id = InputParsing.RequiredIdentifier(agent_id, "agent_id", "Name yourself with a stable agent id, e.g. 'backend-agent-1'.");
        var display = InputParsing.Identifier(name, "name")?.Trim() ?? id;
        if (display.Length > NameLength)
        {
            throw Fail.TooLarge("name", $"'name' is {display.Length} characters long.", $"{NameLength} characters");
        }

        var roles = call.Workspace.Roles();
        var types = (specialist_types ?? []).Select((type, i) => roles.Require(InputParsing.RequiredIdentifier(type, $"specialist_types[{i}]", "Name a role from the roster."), $"specialist_types[{i}]").Name)
            .Distinct(StringComparer.Ordinal).ToArray();
        var client = call.Connection.ClientInfo;
        var workspaceId = call.Workspace.Store.Workspace.Id;
        return await ToolWrites.RunAsync(
            call.Workspace.Store,
            null,
            _time,
            async unit =>
            {
                var now = _time.Now();
                var known = await unit.Agents.GetAsync(id, cancellationToken);
                var agent = known is null ? AgentItem.Register(workspaceId, id, display, kind, types, client, now) : new AgentItem(known);
                if (known is not null)
                {
                    agent.Reregister(display, kind, types, client, now);
                }

                await AgentLedger.SaveAsync(unit, agent, call.Actor(id), now, cancellationToken);
                var claims = await unit.Tasks.GetClaimedByAsync([id], ClaimLimit, cancellationToken);
                return (agent, claims, now);
            },
            value =>
            {
                var view = AgentViews.Agent(value.agent.Current, value.claims, _policy, value.now);
                var text = value.agent.IsNew
                    ? $"Registered agent '{id}' ({view.Kind}{(types.Length == 0 ? ", any role" : ", roles " + string.Join(", ", types))})."
                    : $"Updated the registration of agent '{id}' ({view.Kind}); its counters and circuit ({view.Circuit.State}) stay.";
                return (new RegisterAgentResult(view, value.agent.IsNew, text), text);
            },
            cancellationToken);
    }

    /// <summary>orchestrator_agent_status.</summary>
    [McpServerTool(Name = "orchestrator_agent_status", Title = "Agent health", UseStructuredContent = true, OutputSchemaType = typeof(AgentStatusResult), ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Health of one agent or of all agents in the workspace: registration, counters (claims, heartbeats, completed, needs_revision, blocked, failed, released, lease_expired), success/failure/lease-expiry rates, average claim-to-completion time, last heartbeat, the claims it holds now with their lease expiry, a risk score and its classification, and the claim circuit. "
        + "risk = (1.0*failed + 1.0*lease_expired + 0.5*blocked + 0.25*needs_revision) / (completed + needs_revision + blocked + failed + lease_expired + 4), in 0..1; healthy below 0.15, degraded below 0.30, critical at or above (configurable: Agents:HealthyBelow, Agents:DegradedBelow). "
        + "A bad outcome that leaves an agent critical opens its circuit: no new claims (claim_next_task, execute_task) until the cool-down (Agents:CircuitCooldown, default 5 minutes) has passed; then exactly one probe task: completing it closes the circuit, failing it or losing its lease reopens it.")]
    public async Task<CallToolResult> AgentStatus(
        McpServer server,
        [Description("One agent; omit for all agents of the workspace (up to 500, by id)."), MaxLength(128)] string? agent_id = null,
        CancellationToken cancellationToken = default)
    {
        var call = await _contexts.ForCallAsync(server, null, null, cancellationToken);
        var result = await StatusAsync(call, agent_id, cancellationToken);
        return ToolResults.Success(result, Render(result));
    }

    /// <summary>
    /// The health of one agent or of all agents of the workspace of <paramref name="call"/>, as
    /// orchestrator_agent_status reports it; the REST API's <c>GET /api/agents</c> returns the same.
    /// </summary>
    public async Task<AgentStatusResult> StatusAsync(ToolContext call, string? agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = InputParsing.Identifier(agentId, "agent_id");
        var now = _time.Now();
        IReadOnlyList<AgentRecord> agents;
        IReadOnlyList<TaskRecord> claims;
        int total;
        await using (var read = await call.Workspace.Store.BeginReadAsync(cancellationToken))
        {
            if (id is not null)
            {
                var agent = await read.Agents.GetAsync(id, cancellationToken)
                    ?? throw Fail.NotFound("agent_id", "agent", id, "Agents appear once they register (orchestrator_register_agent) or claim a task; omit agent_id to list them all.");
                agents = [agent];
                total = 1;
            }
            else
            {
                agents = await read.Agents.ListAsync(ListLimit, cancellationToken);
                total = await read.Agents.CountAsync(cancellationToken);
            }

            claims = await read.Tasks.GetClaimedByAsync([.. agents.Select(a => a.Id)], ClaimLimit, cancellationToken);
        }

        var held = claims.ToLookup(t => t.AssignedAgent!, StringComparer.Ordinal);
        var views = agents.Select(a => AgentViews.Agent(a, held[a.Id], _policy, now)).ToArray();
        var result = new AgentStatusResult(
            views,
            total,
            total > views.Length,
            views.Count(v => v.Classification == "healthy"),
            views.Count(v => v.Classification == "degraded"),
            views.Count(v => v.Classification == "critical"),
            views.Count(v => v.Circuit.State != "closed"),
            AgentViews.Thresholds(_policy));
        return result;
    }

    private static string Render(AgentStatusResult result)
    {
        if (result.Agents.Count == 0)
        {
            return "No agents yet: agents appear when they register or claim a task.";
        }

        var lines = result.Agents.Select(a => string.Create(
            CultureInfo.InvariantCulture,
            $"- {a.AgentId} ({a.Kind}): {a.Classification}, risk {a.Risk:0.0000}, circuit {a.Circuit.State}; {a.Counters.Completed} completed, {a.Counters.Failed} failed, {a.Counters.LeaseExpired} lease expired of {a.Counters.Outcomes}; holds {Text.Count(a.CurrentClaims.Count, "claim")}"));
        return string.Create(CultureInfo.InvariantCulture, $"{Text.Count(result.Total, "agent")}: {result.Healthy} healthy, {result.Degraded} degraded, {result.Critical} critical.\n") + string.Join('\n', lines);
    }
}
