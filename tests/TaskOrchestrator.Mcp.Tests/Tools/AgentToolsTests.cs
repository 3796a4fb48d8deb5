using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

/// <summary>Agents: registration, counters kept with every claim outcome, risk and classification, and status.</summary>
public sealed class AgentToolsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegisterAgent_NewThenAgain_RecordsTheConnectionsClientAndKeepsCountersOnUpdate()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);

        var first = await server.OkAsync("orchestrator_register_agent", new { agent_id = "builder-1", name = "Builder", kind = "worker", specialist_types = new[] { "implementer", "tester", "implementer" } });
        await server.PlanIdAsync(new { title = "Work" });
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "builder-1" });
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await server.OkAsync("orchestrator_register_agent", new { agent_id = "builder-1", kind = "llm" });

        first.Bool("created").ShouldBeTrue();
        first.Str("message").ShouldBe("Registered agent 'builder-1' (worker, roles implementer, tester).");
        (first.Str("agent.agent_id"), first.Str("agent.name"), first.Str("agent.kind"), first.Str("agent.client_info")).ShouldBe(("builder-1", "Builder", "worker", "mcp-tests 1.0"));
        first.Strs("agent.specialist_types").ShouldBe(["implementer", "tester"]);
        (first.Num("agent.risk"), first.Str("agent.classification"), first.Str("agent.circuit.state"), first.Bool("agent.circuit.may_claim")).ShouldBe((0.0, "healthy", "closed", true));
        first.IsNull("agent.last_heartbeat_at").ShouldBeTrue();
        first.IsNull("agent.rates.success_rate").ShouldBeTrue();
        again.Bool("created").ShouldBeFalse();
        (again.Str("agent.name"), again.Str("agent.kind"), again.Int("agent.counters.claims")).ShouldBe(("builder-1", "llm", 1L));
        again.Strs("agent.specialist_types").ShouldBeEmpty();
        again.Time("agent.registered_at").ShouldBe(first.Time("agent.registered_at"));
        again.Time("agent.last_seen_at").ShouldBe(server.Clock.GetUtcNow());
        again.Items("agent.current_claims").Length.ShouldBe(1);
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(json_extract(data_json, '$.kind') || ':' || json_extract(data_json, '$.created'), ',') FROM event WHERE kind = 'agent_registered'")
            .ShouldBe("worker:1,llm:0");
    }

    [Fact]
    public async Task ClaimNext_UnknownAgent_IsRegisteredAsAnLlmAgentWithTheConnectionsClient()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        var id = await server.PlanIdAsync(new { title = "Work" });

        var claim = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "newcomer", lease_seconds = 600 });
        var status = await server.OkAsync("orchestrator_agent_status", new { agent_id = "newcomer" });

        var agent = status.Items("agents").ShouldHaveSingleItem();
        (agent.Str("name"), agent.Str("kind"), agent.Str("client_info"), agent.Int("counters.claims")).ShouldBe(("newcomer", "llm", "mcp-tests 1.0", 1L));
        var held = agent.Items("current_claims").ShouldHaveSingleItem();
        (held.Str("task_id"), held.Int("fence")).ShouldBe((id, 1L));
        held.Time("lease_expires_at").ShouldBe(server.Clock.GetUtcNow() + TimeSpan.FromSeconds(600));
        claim.Bool("claimed").ShouldBeTrue();
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM event WHERE kind = 'agent_registered' AND json_extract(data_json, '$.agent_id') = 'newcomer'").ShouldBe("1");
    }

    [Fact]
    public async Task Counters_EveryWayAClaimEnds_CountedWithExactRatesDurationsAndRisk()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        for (int i = 0; i < 5; i++)
        {
            await server.PlanIdAsync(new { title = $"Task {i}" });
        }

        // Completed after 90 s, with two heartbeats on the way.
        var done = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "worker-a", lease_seconds = 60 });
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await server.OkAsync("orchestrator_heartbeat", new { task_id = Id(done), lease_token = Token(done) });
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await server.OkAsync("orchestrator_heartbeat", new { task_id = Id(done), lease_token = Token(done) });
        var heartbeatAt = server.Clock.GetUtcNow();
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await server.OkAsync("orchestrator_complete_task", new { task_id = Id(done), summary = "done", lease_token = Token(done) });

        // Sent back for revision, failed by the holder, released, and lost to lease expiry.
        var revised = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "worker-a" });
        await server.OkAsync("orchestrator_complete_task", new { task_id = Id(revised), summary = "needs another pass", next_action = "needs_revision", lease_token = Token(revised) });
        var failed = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "worker-a" });
        await server.OkAsync("orchestrator_update_task", new { task_id = Id(failed), status = "failed", status_reason = "tool crashed", lease_token = Token(failed) });
        var released = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "worker-a" });
        await server.OkAsync("orchestrator_release_task", new { task_id = Id(released), lease_token = Token(released) });
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "worker-a", lease_seconds = 30 });
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "worker-b" }); // reclaims the expired lease first

        var agent = (await server.OkAsync("orchestrator_agent_status", new { agent_id = "worker-a" })).Items("agents")[0];

        agent.Str("name").ShouldBe("worker-a");
        (agent.Int("counters.claims"), agent.Int("counters.heartbeats"), agent.Int("counters.completed"), agent.Int("counters.needs_revision"))
            .ShouldBe((5L, 2L, 1L, 1L));
        (agent.Int("counters.blocked"), agent.Int("counters.failed"), agent.Int("counters.released"), agent.Int("counters.lease_expired"))
            .ShouldBe((0L, 1L, 1L, 1L));
        (agent.Int("counters.outcomes"), agent.Int("counters.errors"), agent.Int("counters.duration_count"), agent.Int("counters.duration_total_ms"))
            .ShouldBe((4L, 2L, 1L, 90_000L));
        (agent.Num("rates.success_rate"), agent.Num("rates.failure_rate"), agent.Num("rates.lease_expiry_rate"), agent.Num("rates.average_duration_seconds"))
            .ShouldBe((0.25, 0.25, 0.25, 90.0));
        agent.Time("last_heartbeat_at").ShouldBe(heartbeatAt);
        agent.Items("current_claims").ShouldBeEmpty();

        // (1 failed + 1 lease expired + 0.25 x 1 revision) / (4 outcomes + 4) = 0.28125: degraded, just below critical.
        (agent.Num("risk"), agent.Str("classification"), agent.Str("circuit.state")).ShouldBe((0.28125, "degraded", "closed"));
    }

    [Fact]
    public async Task AgentStatus_AllAgents_ListedByIdWithClassificationCountsAndThresholds()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await server.OkAsync("orchestrator_register_agent", new { agent_id = "zeta" });
        await server.OkAsync("orchestrator_register_agent", new { agent_id = "alpha" });
        await FailAsync(server, "mid"); // 1 failure: risk 0.2, degraded

        var status = await server.OkAsync("orchestrator_agent_status");

        status.Pluck("agents", "agent_id").ShouldBe(["alpha", "mid", "zeta"]);
        status.Pluck("agents", "classification").ShouldBe(["healthy", "degraded", "healthy"]);
        status.Items("agents")[1].Num("risk").ShouldBe(0.2);
        (status.Int("total"), status.Bool("truncated"), status.Int("healthy"), status.Int("degraded"), status.Int("critical"), status.Int("circuits_not_closed"))
            .ShouldBe((3L, false, 2L, 1L, 0L, 0L));
        (status.Num("thresholds.healthy_below"), status.Num("thresholds.degraded_below"), status.Num("thresholds.circuit_cooldown_seconds")).ShouldBe((0.15, 0.30, 300.0));
        status.Str("thresholds.risk_formula").ShouldBe("risk = (1.0*failed + 1.0*lease_expired + 0.5*blocked + 0.25*needs_revision) / (completed + needs_revision + blocked + failed + lease_expired + 4)");
    }

    [Fact]
    public async Task AgentStatus_UnknownAgent_NotFoundAndNothingChanges()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await server.OkAsync("orchestrator_register_agent", new { agent_id = "known" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_agent_status", new { agent_id = "ghost" });

        (error.Str("code"), error.Str("field")).ShouldBe(("not_found", "agent_id"));
        error.Str("message")!.ShouldContain("ghost");
        server.Snapshot().ShouldBe(before);
    }

    [Theory]
    [InlineData("""{"agent_id":""}""", "missing_argument", "agent_id")]
    [InlineData("""{"agent_id":"a","kind":"robot"}""", "invalid_argument", "kind")]
    [InlineData("""{"agent_id":"a","specialist_types":["astronaut"]}""", "invalid_argument", "specialist_types[0]")]
    [InlineData("""{"agent_id":"a","name":"   "}""", "missing_argument", "name")]
    [InlineData("""{"agent_id":"a","nickname":"x"}""", "unknown_argument", "nickname")]
    public async Task RegisterAgent_BadInput_RefusedAndNothingChanges(string arguments, string code, string field)
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await server.OkAsync("orchestrator_register_agent", new { agent_id = "a" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_register_agent", System.Text.Json.JsonDocument.Parse(arguments).RootElement);

        (error.Str("code"), error.Str("field")).ShouldBe((code, field));
        server.Snapshot().ShouldBe(before);
    }

    [Theory]
    [InlineData("orchestrator_claim_next_task", """{"agent_id":"a","lease_seconds":"NaN"}""")]
    [InlineData("orchestrator_claim_next_task", """{"agent_id":"a","lease_seconds":"Infinity"}""")]
    [InlineData("orchestrator_claim_next_task", """{"agent_id":"a","lease_seconds":1e309}""")]
    [InlineData("orchestrator_claim_next_task", """{"agent_id":"a","lease_seconds":-1}""")]
    [InlineData("orchestrator_claim_next_task", """{"agent_id":"a","lease_seconds":90.5}""")]
    [InlineData("orchestrator_heartbeat", """{"task_id":"TASK","lease_token":"TOKEN","lease_seconds":"NaN"}""")]
    [InlineData("orchestrator_heartbeat", """{"task_id":"TASK","lease_token":"TOKEN","lease_seconds":"-Infinity"}""")]
    [InlineData("orchestrator_heartbeat", """{"task_id":"TASK","lease_token":"TOKEN","lease_seconds":1e309}""")]
    [InlineData("orchestrator_heartbeat", """{"task_id":"TASK","lease_token":"TOKEN","lease_seconds":0}""")]
    public async Task LeaseSeconds_NaNInfiniteOrOutOfRange_RefusedAndNothingIsStored(string tool, string arguments)
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        var id = await server.PlanIdAsync(new { title = "Held" });
        await server.PlanIdAsync(new { title = "Free" });
        var claim = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "holder" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync(tool, System.Text.Json.JsonDocument.Parse(arguments.Replace("TASK", Id(claim), StringComparison.Ordinal).Replace("TOKEN", Token(claim), StringComparison.Ordinal)).RootElement);

        error.Str("field").ShouldBe("lease_seconds");
        error.Str("code").ShouldBe("invalid_argument");
        server.Snapshot().ShouldBe(before);
        id.ShouldNotBeNull();
    }

    internal static string Id(System.Text.Json.JsonElement claim) => claim.Str("execution.task.task_id")!;

    internal static string Token(System.Text.Json.JsonElement claim) => claim.Str("execution.lease.lease_token")!;

    /// <summary>Plans a task, has <paramref name="agent"/> claim it and mark it failed.</summary>
    internal static async Task<string> FailAsync(OrchestratorServer server, string agent)
    {
        var id = await server.PlanIdAsync(new { title = $"Doomed for {agent}" });
        var claim = await server.OkAsync("orchestrator_execute_task", new { task_id = id, agent_id = agent });
        await server.OkAsync("orchestrator_update_task", new { task_id = id, status = "failed", status_reason = "broke", lease_token = claim.Str("lease.lease_token") });
        return id;
    }
}
