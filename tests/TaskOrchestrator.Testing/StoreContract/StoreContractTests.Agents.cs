using Shouldly;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Testing.StoreContract;

// Agents: registration rows with their counters and claim circuit, scoped to their workspace, and
// the lookup of the claims agents hold.
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task SaveAsync_NewAgentWithEveryFieldSet_GetAsyncReturnsAnEqualRecord()
    {
        var agent = NewAgent("agent-full") with
        {
            Name = "Full agent",
            Kind = AgentKind.Worker,
            SpecialistTypes = ["implementer", "tester"],
            ClientInfo = "claude-code 2.1.0",
            UpdatedAt = Start.AddMinutes(1),
            LastSeenAt = Start.AddMinutes(2),
            LastHeartbeatAt = Start.AddMinutes(3),
            Counters = new AgentCounters
            {
                Claims = 11, Heartbeats = 12, Completed = 3, NeedsRevision = 4, Blocked = 5, Failed = 6, Released = 7, LeaseExpired = 8,
                DurationCount = 3, DurationTotalMs = 9_000_000_123L,
            },
            Circuit = new AgentCircuit(CircuitState.HalfOpen, Start.AddMinutes(4), Start.AddMinutes(9), "task_probe", 2),
        };

        await WriteAsync(unit => unit.Agents.SaveAsync(agent, Ct));

        (await ReadAsync(unit => unit.Agents.GetAsync("agent-full", Ct))).ShouldBe(agent);
    }

    [Fact]
    public async Task SaveAsync_KnownAgent_ReplacesEveryField()
    {
        await WriteAsync(unit => unit.Agents.SaveAsync(NewAgent("agent-1") with
        {
            ClientInfo = "old 1.0",
            LastHeartbeatAt = Start,
            SpecialistTypes = ["tester"],
            Circuit = new AgentCircuit(CircuitState.Open, Start, Start.AddMinutes(5), null, 1),
        }, Ct));
        var replacement = NewAgent("agent-1") with
        {
            Name = "Renamed",
            Kind = AgentKind.Worker,
            SpecialistTypes = [],
            ClientInfo = null,
            RegisteredAt = Start.AddHours(1),
            UpdatedAt = Start.AddHours(2),
            LastSeenAt = Start.AddHours(3),
            LastHeartbeatAt = null,
            Counters = new AgentCounters { Claims = 1, Completed = 1, DurationCount = 1, DurationTotalMs = 42 },
            Circuit = new AgentCircuit(CircuitState.Closed, Start, null, null, 1),
        };

        await WriteAsync(unit => unit.Agents.SaveAsync(replacement, Ct));

        (await ReadAsync(unit => unit.Agents.GetAsync("agent-1", Ct))).ShouldBe(replacement);
        (await ReadAsync(unit => unit.Agents.CountAsync(Ct))).ShouldBe(1);
    }

    [Fact]
    public async Task GetAsync_UnknownAgent_ReturnsNull()
    {
        await WriteAsync(unit => unit.Agents.SaveAsync(NewAgent("agent-1"), Ct));

        (await ReadAsync(unit => unit.Agents.GetAsync("agent-2", Ct))).ShouldBeNull();
        (await ReadAsync(unit => unit.Agents.GetAsync("AGENT-1", Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task GetManyAsync_KnownUnknownAndOtherWorkspaceIds_ReturnsOnlyThisWorkspacesKnownAgents()
    {
        var other = await OpenAsync(NewWorkspaceRoot());
        await WriteAsync(async unit =>
        {
            await unit.Agents.SaveAsync(NewAgent("alpha") with { Name = "A" }, Ct);
            await unit.Agents.SaveAsync(NewAgent("bravo") with { Name = "B" }, Ct);
            await unit.Agents.SaveAsync(NewAgent("charlie"), Ct);
        });
        await WriteAsync(unit => unit.Agents.SaveAsync(NewAgent("delta", other), Ct), other);

        var found = await ReadAsync(unit => unit.Agents.GetManyAsync(["bravo", "alpha", "ghost", "delta"], Ct));

        found.OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => (a.Id, a.Name)).ShouldBe([("alpha", "A"), ("bravo", "B")]);
        (await ReadAsync(unit => unit.Agents.GetManyAsync([], Ct))).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListAsync_SeveralAgents_OrderedByIdUpToTheLimitWhileCountAsyncCountsAll()
    {
        await WriteAsync(async unit =>
        {
            foreach (var id in new[] { "charlie", "alpha", "delta", "bravo" })
            {
                await unit.Agents.SaveAsync(NewAgent(id), Ct);
            }
        });

        (await ReadAsync(unit => unit.Agents.ListAsync(3, Ct))).Select(a => a.Id).ShouldBe(["alpha", "bravo", "charlie"]);
        (await ReadAsync(unit => unit.Agents.ListAsync(10, Ct))).Select(a => a.Id).ShouldBe(["alpha", "bravo", "charlie", "delta"]);
        (await ReadAsync(unit => unit.Agents.CountAsync(Ct))).ShouldBe(4);
    }

    [Fact]
    public async Task SaveAsync_SameAgentIdInTwoWorkspaces_EachWorkspaceKeepsItsOwnRow()
    {
        var other = await OpenAsync(NewWorkspaceRoot());
        await WriteAsync(unit => unit.Agents.SaveAsync(NewAgent("agent-1") with { Name = "here" }, Ct));
        await WriteAsync(unit => unit.Agents.SaveAsync(NewAgent("agent-1", other) with { Name = "there", Counters = new AgentCounters { Failed = 2 } }, Ct), other);

        (await ReadAsync(unit => unit.Agents.GetAsync("agent-1", Ct)))!.Name.ShouldBe("here");
        (await ReadAsync(unit => unit.Agents.GetAsync("agent-1", Ct)))!.Counters.ShouldBe(AgentCounters.None);
        (await ReadAsync(unit => unit.Agents.GetAsync("agent-1", Ct), other))!.Counters.Failed.ShouldBe(2);
        (await ReadAsync(unit => unit.Agents.CountAsync(Ct), other)).ShouldBe(1);
    }

    [Fact]
    public async Task SaveAsync_RolledBackUnit_LeavesNoRow()
    {
        await using (var unit = await Store.BeginWriteAsync(Ct))
        {
            await unit.Agents.SaveAsync(NewAgent("agent-1"), Ct);
        }

        (await ReadAsync(unit => unit.Agents.GetAsync("agent-1", Ct))).ShouldBeNull();
    }

    [Fact]
    public async Task GetClaimedByAsync_MixedTasks_OnlyInProgressClaimsOfTheAgentsByAgentThenLeaseExpiry()
    {
        await InsertAsync(
            Claimed("task_a_late", "agent-a", Start.AddMinutes(30)),
            Claimed("task_a_soon", "agent-a", Start.AddMinutes(10)),
            Claimed("task_b", "agent-b", Start.AddMinutes(5)),
            Claimed("task_c", "agent-c", Start.AddMinutes(1)),
            Claimed("task_a_done", "agent-a", Start.AddMinutes(2)) with { Status = TaskItemStatus.Completed, CompletedAt = Start },
            Claimed("task_a_unclaimed", "agent-a", Start.AddMinutes(3)) with { LeaseToken = null });

        var claimed = await ReadAsync(unit => unit.Tasks.GetClaimedByAsync(["agent-b", "agent-a"], 10, Ct));

        claimed.Select(t => t.Id).ShouldBe(["task_a_soon", "task_a_late", "task_b"]);
        claimed[0].ShouldBe(Claimed("task_a_soon", "agent-a", Start.AddMinutes(10)));
        (await ReadAsync(unit => unit.Tasks.GetClaimedByAsync(["agent-a", "agent-b"], 2, Ct))).Select(t => t.Id).ShouldBe(["task_a_soon", "task_a_late"]);
        (await ReadAsync(unit => unit.Tasks.GetClaimedByAsync([], 10, Ct))).ShouldBeEmpty();
    }

    protected AgentRecord NewAgent(string id, Core.Storage.IOrchestratorStore? store = null) => new()
    {
        WorkspaceId = (store ?? Store).Workspace.Id,
        Id = id,
        Name = id,
        RegisteredAt = Start,
        UpdatedAt = Start,
        LastSeenAt = Start,
    };

    private TaskRecord Claimed(string id, string agent, DateTimeOffset leaseExpiresAt) => NewTask(id) with
    {
        Status = TaskItemStatus.InProgress,
        StartedAt = Start,
        AssignedAgent = agent,
        LeaseExpiresAt = leaseExpiresAt,
        LeaseToken = $"lease_1_{id}",
        LeaseFence = 1,
        LeaseSeconds = 600,
    };
}
