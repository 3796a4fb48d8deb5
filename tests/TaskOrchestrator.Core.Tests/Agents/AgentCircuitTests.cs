using Shouldly;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Core.Tests.Agents;

/// <summary>The claim circuit: opening on critical risk, the cool-down, the single probe and its verdict.</summary>
public sealed class AgentCircuitTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
    private static readonly AgentHealthPolicy Policy = AgentHealthPolicy.Default;

    [Fact]
    public void RecordOutcome_SecondFailureOfANewAgent_OpensTheCircuitForTheCooldown()
    {
        var agent = NewAgent();
        agent.RecordOutcome(AgentOutcome.Failed, "task_1", null, Start, Policy);
        agent.Current.Circuit.ShouldBe(AgentCircuit.Closed); // risk 0.2: degraded

        agent.RecordOutcome(AgentOutcome.Failed, "task_2", null, Start.AddMinutes(1), Policy);

        agent.Current.Circuit.ShouldBe(new AgentCircuit(CircuitState.Open, Start.AddMinutes(1), Start.AddMinutes(6), null, 1));
        agent.Transitions.ShouldBe([new CircuitTransition(CircuitState.Closed, CircuitState.Open, "risk 0.3333 is critical after task 'task_2' failed", 2.0 / 6, "task_2")]);
    }

    [Fact]
    public void RecordOutcome_CompletionWhileRiskIsCritical_DoesNotOpen()
    {
        var agent = new AgentItem(NewAgent().Current with { Counters = new AgentCounters { Failed = 5 } });

        agent.RecordOutcome(AgentOutcome.Completed, "task_1", TimeSpan.FromSeconds(3), Start, Policy);

        agent.Current.Circuit.State.ShouldBe(CircuitState.Closed);
        agent.Transitions.ShouldBeEmpty();
    }

    [Fact]
    public void RecordOutcome_ReleasesOnly_NeverOpen()
    {
        var agent = NewAgent();
        for (int i = 0; i < 10; i++)
        {
            agent.RecordOutcome(AgentOutcome.Released, $"task_{i}", null, Start, Policy);
        }

        (agent.Risk, agent.Current.Circuit.State).ShouldBe((0.0, CircuitState.Closed));
    }

    [Fact]
    public void EnsureMayClaim_OpenBeforeRetry_RefusedWithRiskAndRetryTime()
    {
        var agent = Opened();

        var error = Should.Throw<OrchestratorException>(() => agent.EnsureMayClaim(Start.AddMinutes(2), Policy)).Error;

        error.Code.ShouldBe(ErrorCodes.CircuitOpen);
        error.Field.ShouldBe("agent_id");
        error.Message.ShouldBe("Agent 'agent-1' is circuit-broken and gets no new claims: its risk is 0.3333, critical (healthy below 0.15, critical at or above 0.30), after 2 failed, 0 lease-expired, 0 blocked and 0 sent back of 2 outcomes. Its circuit opened at 2026-11-21 09:00:00Z; it may try again at 2026-11-21 09:05:00Z (in 3m 0s), with exactly one probe task.");
    }

    [Fact]
    public void Probe_CompletedAfterCooldown_ClosesTheCircuit()
    {
        var agent = Opened();
        var retry = Start.AddMinutes(5);

        agent.EnsureMayClaim(retry, Policy);
        agent.RecordClaim("task_probe", retry);
        agent.Current.Circuit.ShouldBe(new AgentCircuit(CircuitState.HalfOpen, Start, retry, "task_probe", 1));
        Should.Throw<OrchestratorException>(() => agent.EnsureMayClaim(retry.AddSeconds(1), Policy)).Error.Message
            .ShouldBe("Agent 'agent-1' is on probation (circuit half-open): its risk is 0.3333, critical (healthy below 0.15, critical at or above 0.30), after 2 failed, 0 lease-expired, 0 blocked and 0 sent back of 2 outcomes. It holds its probe task 'task_probe' and gets no other claim until that task is completed.");
        agent.RecordOutcome(AgentOutcome.Completed, "task_probe", TimeSpan.FromSeconds(30), retry.AddSeconds(30), Policy);

        agent.Current.Circuit.ShouldBe(new AgentCircuit(CircuitState.Closed, Start, null, null, 1));
        agent.Transitions.Select(t => (t.From, t.To, t.Reason)).ShouldBe([
            (CircuitState.Closed, CircuitState.Open, "risk 0.3333 is critical after task 'task_2' failed"),
            (CircuitState.Open, CircuitState.HalfOpen, "cool-down over; task 'task_probe' is the probe"),
            (CircuitState.HalfOpen, CircuitState.Closed, "probe task 'task_probe' completed"),
        ]);
        agent.EnsureMayClaim(retry.AddSeconds(31), Policy);
    }

    [Theory]
    [InlineData(AgentOutcome.Failed, "probe task 'task_probe' failed")]
    [InlineData(AgentOutcome.LeaseExpired, "probe task 'task_probe' lost its lease")]
    public void Probe_FailedOrExpired_ReopensForAnotherCooldown(AgentOutcome outcome, string reason)
    {
        var agent = Opened();
        var retry = Start.AddMinutes(5);
        agent.RecordClaim("task_probe", retry);

        agent.RecordOutcome(outcome, "task_probe", null, retry.AddMinutes(1), Policy);

        agent.Current.Circuit.ShouldBe(new AgentCircuit(CircuitState.Open, retry.AddMinutes(1), retry.AddMinutes(6), null, 2));
        agent.Transitions[^1].ShouldBe(new CircuitTransition(CircuitState.HalfOpen, CircuitState.Open, reason, 3.0 / 7, "task_probe"));
        Should.Throw<OrchestratorException>(() => agent.EnsureMayClaim(retry.AddMinutes(5), Policy));
    }

    [Theory]
    [InlineData(AgentOutcome.Released)]
    [InlineData(AgentOutcome.NeedsRevision)]
    [InlineData(AgentOutcome.Blocked)]
    public void Probe_EndedWithoutVerdict_StaysHalfOpenAndTheNextClaimIsTheProbe(AgentOutcome outcome)
    {
        var agent = Opened();
        var retry = Start.AddMinutes(5);
        agent.RecordClaim("task_probe", retry);

        agent.RecordOutcome(outcome, "task_probe", null, retry.AddMinutes(1), Policy);
        agent.Current.Circuit.ShouldBe(new AgentCircuit(CircuitState.HalfOpen, Start, retry, null, 1));
        agent.EnsureMayClaim(retry.AddMinutes(1), Policy);
        agent.RecordClaim("task_probe_2", retry.AddMinutes(2));

        agent.Current.Circuit.ProbeTaskId.ShouldBe("task_probe_2");
        agent.Transitions.Count.ShouldBe(2); // opened, half-opened: the second probe is no new state
    }

    [Fact]
    public void HalfOpen_AnOlderTaskFails_Reopens()
    {
        var agent = Opened();
        var retry = Start.AddMinutes(5);
        agent.RecordClaim("task_probe", retry);

        agent.RecordOutcome(AgentOutcome.Failed, "task_old", null, retry.AddSeconds(10), Policy);

        agent.Current.Circuit.State.ShouldBe(CircuitState.Open);
        agent.Transitions[^1].Reason.ShouldBe("task 'task_old' failed during the probe");
    }

    [Fact]
    public void Open_FurtherFailures_KeepTheSameCooldown()
    {
        var agent = Opened();

        agent.RecordOutcome(AgentOutcome.Failed, "task_3", null, Start.AddMinutes(1), Policy);

        agent.Current.Circuit.ShouldBe(new AgentCircuit(CircuitState.Open, Start, Start.AddMinutes(5), null, 1));
    }

    private static AgentItem NewAgent() => AgentItem.Register("ws_1", "agent-1", "agent-1", AgentKind.Llm, [], null, Start);

    private static AgentItem Opened()
    {
        var agent = NewAgent();
        agent.RecordOutcome(AgentOutcome.Failed, "task_1", null, Start, Policy);
        agent.RecordOutcome(AgentOutcome.Failed, "task_2", null, Start, Policy);
        agent.Current.Circuit.State.ShouldBe(CircuitState.Open);
        return agent;
    }
}
