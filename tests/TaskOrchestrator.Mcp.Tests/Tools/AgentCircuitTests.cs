using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Testing;
using static TaskOrchestrator.Mcp.Tests.Tools.AgentToolsTests;

namespace TaskOrchestrator.Mcp.Tests.Tools;

/// <summary>
/// The claim circuit through the tools: a critical agent is refused claims until the cool-down has
/// passed, then gets exactly one probe task whose outcome closes or reopens the circuit; and the
/// configuration that sets thresholds and cool-down, refused when it cannot work.
/// </summary>
public sealed class AgentCircuitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CriticalAgent_RefusedUntilTheCooldown_ThenOneProbe_ThenClosedWhenTheProbeIsCompleted()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await FailAsync(server, "flaky");
        await FailAsync(server, "flaky"); // 2 failures: risk 2/6, critical
        var openedAt = server.Clock.GetUtcNow();
        var waiting = await server.PlanIdAsync(new { title = "Waiting" });
        await server.PlanIdAsync(new { title = "Second" });
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        var before = server.Snapshot();

        var refused = await server.ErrorAsync("orchestrator_claim_next_task", new { agent_id = "flaky" });
        var refusedExecute = await server.ErrorAsync("orchestrator_execute_task", new { task_id = waiting, agent_id = "flaky" });
        var open = (await server.OkAsync("orchestrator_agent_status", new { agent_id = "flaky" })).Items("agents")[0];

        (refused.Str("code"), refused.Str("field")).ShouldBe(("circuit_open", "agent_id"));
        refused.Str("message").ShouldBe($"Agent 'flaky' is circuit-broken and gets no new claims: its risk is 0.3333, critical (healthy below 0.15, critical at or above 0.30), after 2 failed, 0 lease-expired, 0 blocked and 0 sent back of 2 outcomes. Its circuit opened at {openedAt:u}; it may try again at {openedAt.AddMinutes(5):u} (in 3m 0s), with exactly one probe task.");
        refused.Str("details.retry_at").ShouldNotBeNull();
        refusedExecute.Str("code").ShouldBe("circuit_open");
        server.Snapshot().ShouldBe(before);
        (open.Str("circuit.state"), open.Bool("circuit.may_claim"), open.Int("circuit.opens"), open.Str("classification")).ShouldBe(("open", false, 1L, "critical"));
        open.Time("circuit.retry_at").ShouldBe(openedAt.AddMinutes(5));

        server.Clock.Advance(TimeSpan.FromMinutes(3));
        var probe = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "flaky" });
        var onProbation = await server.ErrorAsync("orchestrator_claim_next_task", new { agent_id = "flaky" });
        var halfOpen = (await server.OkAsync("orchestrator_agent_status", new { agent_id = "flaky" })).Items("agents")[0];
        await server.OkAsync("orchestrator_complete_task", new { task_id = Id(probe), summary = "probe passed", lease_token = Token(probe) });
        var closed = (await server.OkAsync("orchestrator_agent_status", new { agent_id = "flaky" })).Items("agents")[0];
        var next = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "flaky" });

        Id(probe).ShouldBe(waiting);
        onProbation.Str("code").ShouldBe("circuit_open");
        onProbation.Str("message")!.ShouldContain($"It holds its probe task '{waiting}' and gets no other claim until that task is completed.");
        (halfOpen.Str("circuit.state"), halfOpen.Str("circuit.probe_task_id"), halfOpen.Bool("circuit.may_claim")).ShouldBe(("half_open", waiting, false));
        (closed.Str("circuit.state"), closed.Bool("circuit.may_claim"), closed.Num("risk")).ShouldBe(("closed", true, 2.0 / 7));
        next.Bool("claimed").ShouldBeTrue();
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(from_state || '>' || to_state, ',') FROM (SELECT from_state, to_state FROM event WHERE kind = 'agent_circuit_changed' AND json_extract(data_json, '$.agent_id') = 'flaky' ORDER BY seq)")
            .ShouldBe("closed>open,open>half_open,half_open>closed");
    }

    [Fact]
    public async Task Probe_LeaseExpires_CircuitReopensForAnotherCooldown()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await FailAsync(server, "flaky");
        await FailAsync(server, "flaky");
        await server.PlanIdAsync(new { title = "Probe" });
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "flaky", lease_seconds = 30 });

        server.Clock.Advance(TimeSpan.FromSeconds(31));
        var reopenedAt = server.Clock.GetUtcNow();
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "steady" }); // reclaims the probe's lease
        var refused = await server.ErrorAsync("orchestrator_claim_next_task", new { agent_id = "flaky" });
        var agent = (await server.OkAsync("orchestrator_agent_status", new { agent_id = "flaky" })).Items("agents")[0];

        refused.Str("code").ShouldBe("circuit_open");
        (agent.Str("circuit.state"), agent.Int("circuit.opens"), agent.Int("counters.lease_expired")).ShouldBe(("open", 2L, 1L));
        agent.Time("circuit.opened_at").ShouldBe(reopenedAt);
        agent.Time("circuit.retry_at").ShouldBe(reopenedAt.AddMinutes(5));
        agent.Num("risk").ShouldBe(3.0 / 7);
        StoreSnapshot.Value(server.DatabasePath, "SELECT to_state || '|' || json_extract(data_json, '$.reason') FROM event WHERE kind = 'agent_circuit_changed' ORDER BY seq DESC LIMIT 1")
            .ShouldStartWith("open|probe task 'task_");
    }

    [Fact]
    public async Task OwnLeaseExpiry_OpensTheCircuitInTheClaimThatReclaimsIt_RefusedButTheReclaimIsKept()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await FailAsync(server, "sleepy"); // risk 0.2
        var lost = await server.PlanIdAsync(new { title = "Will expire" });
        await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "sleepy", lease_seconds = 30 });
        server.Clock.Advance(TimeSpan.FromSeconds(31));

        var refused = await server.ErrorAsync("orchestrator_claim_next_task", new { agent_id = "sleepy" });

        refused.Str("code").ShouldBe("circuit_open");
        (await server.GetTaskAsync(lost)).Str("status").ShouldBe("pending");
        StoreSnapshot.Value(server.DatabasePath, "SELECT circuit_state || '|' || lease_expired FROM agent WHERE id = 'sleepy'").ShouldBe("open|1");
    }

    [Fact]
    public async Task ConfiguredThresholdsAndCooldown_ClassifyAndCoolDownByThem()
    {
        await using var server = await OrchestratorServer.StartAsync(services => services.PostConfigure<AgentOptions>(o =>
        {
            o.HealthyBelow = 0.25;
            o.DegradedBelow = 0.5;
            o.CircuitCooldown = TimeSpan.FromSeconds(30);
        }), Ct);
        await FailAsync(server, "a");
        await FailAsync(server, "a"); // 2/6: degraded under these thresholds
        var degraded = (await server.OkAsync("orchestrator_agent_status", new { agent_id = "a" })).Items("agents")[0];
        await FailAsync(server, "a");
        await FailAsync(server, "a"); // 4/8 = 0.5: critical
        var critical = await server.OkAsync("orchestrator_agent_status", new { agent_id = "a" });

        (degraded.Str("classification"), degraded.Str("circuit.state")).ShouldBe(("degraded", "closed"));
        (critical.Items("agents")[0].Str("classification"), critical.Items("agents")[0].Str("circuit.state")).ShouldBe(("critical", "open"));
        critical.Items("agents")[0].Time("circuit.retry_at").ShouldBe(server.Clock.GetUtcNow().AddSeconds(30));
        (critical.Num("thresholds.healthy_below"), critical.Num("thresholds.degraded_below"), critical.Num("thresholds.circuit_cooldown_seconds")).ShouldBe((0.25, 0.5, 30.0));
    }

    [Theory]
    [InlineData("HealthyBelow", "NaN", "Agents:HealthyBelow is NaN; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData("HealthyBelow", "Infinity", "Agents:HealthyBelow is Infinity; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData("DegradedBelow", "-Infinity", "Agents:DegradedBelow is -Infinity; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData("DegradedBelow", "1.5", "Agents:DegradedBelow is 1.5; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData("HealthyBelow", "-0.1", "Agents:HealthyBelow is -0.1; it must be a finite number above 0 and at most 1, such as 0.15.")]
    [InlineData("DegradedBelow", "0.1", "Agents:DegradedBelow (0.1) must be above Agents:HealthyBelow (0.15): risk between the two is degraded.")]
    [InlineData("CircuitCooldown", "00:00:00", "Agents:CircuitCooldown is 00:00:00; it must lie between 00:00:01 and 1.00:00:00, such as 00:05:00.")]
    [InlineData("CircuitCooldown", "2.00:00:00", "Agents:CircuitCooldown is 2.00:00:00; it must lie between 00:00:01 and 1.00:00:00, such as 00:05:00.")]
    public void Configuration_UnusableAgentSetting_RefusedNamingItsValue(string key, string value, string failure)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Agents:{key}"] = value }).Build();
        var options = new AgentOptions();
        configuration.GetSection(AgentOptions.Section).Bind(options);

        new AgentOptionsValidator().Validate(Options.DefaultName, options).Failures.ShouldBe([failure]);
    }

    [Fact]
    public async Task Startup_ConfigFileWithNaNThreshold_RefusedBeforeServing()
    {
        using var folder = new TemporaryDirectory("to-agents-config");
        var config = Path.Combine(folder.Path, "orchestrator.json");
        await File.WriteAllTextAsync(config, """{ "Agents": { "HealthyBelow": "NaN", "CircuitCooldown": "00:10:00" } }""", Ct);
        using var logger = new Serilog.LoggerConfiguration().CreateLogger();
        using var host = OrchestratorHost.Build(new ServeSettings(folder.Path, config, Serilog.Events.LogEventLevel.Warning, LogFile: false), logger, mcp => mcp.WithStreamServerTransport(Stream.Null, Stream.Null));

        var error = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        error.Failures.ShouldBe(["Agents:HealthyBelow is NaN; it must be a finite number above 0 and at most 1, such as 0.15."]);
    }
}
