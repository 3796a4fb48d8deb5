using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Shouldly;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Operations;

public sealed class HealthCheckTests
{
    private static readonly string[] AllChecks =
    [
        "database_open", "integrity_quick", "write_probe", "migrations_current", "wal_size", "disk_free",
        "connections", "active_tasks", "expired_leases", "memory", "uptime", "restarts",
    ];

    [Fact]
    public async Task HealthCheck_FreshWorkspace_EveryCheckHealthy()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_health_check");

        result.Str("status").ShouldBe("healthy");
        result.Items("reasons").ShouldBeEmpty();
        result.Pluck("checks", "name").ShouldBe(AllChecks);
        result.Pluck("checks", "status").ShouldAllBe(s => s == "healthy");
        result.Str("server.role").ShouldBe("standalone");
        result.Bool("server.supervised").ShouldBeFalse();
        result.Str("server.instance_id")!.ShouldStartWith("inst_");
        result.Int("server.process_id").ShouldBe(Environment.ProcessId);
        result.Int("database.schema_applied").ShouldBe(result.Int("database.schema_latest"));
        result.Items("database.integrity_problems").ShouldBeEmpty();
        result.Num("database.write_probe_ms").ShouldBeGreaterThan(0);
        result.Str("connections.source").ShouldBe("process");
        result.Pluck("connections.clients", "name").ShouldBe(["mcp-tests"]);
        result.Items("connections.in_flight").ShouldBeEmpty();
        result.Int("restart_count").ShouldBe(0);
        result.Bool("reboot_readiness.safe_to_shutdown").ShouldBeTrue();
    }

    [Fact]
    public async Task HealthCheck_SectionsNotAsked_LeavesThemOutAndSkipsTheirChecks()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_health_check", new { include_reboot_readiness = false, include_connection_status = false, include_database_status = false });

        result.Pluck("checks", "name").ShouldBe(["database_open", "active_tasks", "expired_leases", "memory", "uptime", "restarts"]);
        result.IsNull("database").ShouldBeTrue();
        result.IsNull("connections").ShouldBeTrue();
        result.IsNull("reboot_readiness").ShouldBeTrue();
    }

    [Fact]
    public async Task HealthCheck_LeaseExpired_ReportsDegradedWithTheExpiredTaskAndItsHolder()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var instanceId = (await server.OkAsync("orchestrator_health_check")).Str("server.instance_id");
        var taskId = await server.PlanIdAsync(new { title = "Held too long" });
        var started = server.Clock.GetUtcNow();
        await server.ExecuteAsync(taskId, "agent-1");

        server.Clock.Advance(TimeSpan.FromMinutes(61));
        var result = await server.OkAsync("orchestrator_health_check");

        result.Str("status").ShouldBe("degraded");
        var check = Check(result, "expired_leases");
        check.Str("status").ShouldBe("degraded");
        check.Num("figures.count").ShouldBe(1);
        result.Strs("reasons").ShouldHaveSingleItem().ShouldStartWith("expired_leases (degraded): 1 task in progress has an expired hold");
        var expired = result.Items("expired_leases").ShouldHaveSingleItem();
        expired.Str("task_id").ShouldBe(taskId);
        expired.Str("agent_id").ShouldBe("agent-1");
        expired.Str("holder_instance_id").ShouldBe(instanceId);
        expired.Str("holder_state").ShouldBe("running");
        expired.Time("lease_expires_at").ShouldBe(started + TimeSpan.FromHours(1));
        result.Int("active_tasks_total").ShouldBe(1);
    }

    [Fact]
    public async Task HealthCheck_FreeSpaceBelowPercentThreshold_ReportsDiskDegraded()
    {
        // Nearly full, as configured: every real disk has less than 100% free.
        await using var server = await OrchestratorServer.StartAsync(s => s.PostConfigure<HealthOptions>(o => o.DiskFreeDegradedPercent = 100), TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_health_check");

        result.Str("status").ShouldBe("degraded");
        var check = Check(result, "disk_free");
        check.Str("status").ShouldBe("degraded");
        check.Str("message")!.ShouldContain("degraded below 1 GiB or 100%");
        check.Num("figures.free_bytes").ShouldBe(result.Num("database.disk_free_bytes"));
        result.Strs("reasons").ShouldHaveSingleItem().ShouldStartWith("disk_free (degraded): Only ");
    }

    [Fact]
    public async Task HealthCheck_FreeSpaceBelowByteThreshold_ReportsDiskCritical()
    {
        const long OnePebibyte = 1L << 50;
        await using var server = await OrchestratorServer.StartAsync(
            s => s.PostConfigure<HealthOptions>(o => (o.DiskFreeDegradedBytes, o.DiskFreeCriticalBytes) = (OnePebibyte, OnePebibyte)),
            TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_health_check");

        result.Str("status").ShouldBe("critical");
        var check = Check(result, "disk_free");
        check.Str("status").ShouldBe("critical");
        check.Str("message")!.ShouldEndWith("critical below 1024 TiB or 1%. Free space before writes start failing.");
        result.Strs("reasons").ShouldHaveSingleItem().ShouldStartWith("disk_free (critical): Only ");
    }

    [Fact]
    public async Task HealthCheck_LogFileMadeImmutable_ReportsWriteProbeCritical()
    {
        // Root ignores file permissions, but not the immutable attribute: the next write to the
        // write-ahead log fails as it would on a read-only or failing disk.
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.OkAsync("orchestrator_health_check");
        var wal = server.DatabasePath + "-wal";
        var locked = Chattr("+i", wal);
        Assert.SkipWhen(locked is not null, $"chattr +i is not available here ({locked}); this test needs a file system with the immutable attribute and CAP_LINUX_IMMUTABLE.");
        JsonElement result;
        try
        {
            result = await server.OkAsync("orchestrator_health_check", new { include_reboot_readiness = false });
        }
        finally
        {
            Chattr("-i", wal).ShouldBeNull();
        }

        result.Str("status").ShouldBe("critical");
        var probe = Check(result, "write_probe");
        probe.Str("status").ShouldBe("critical");
        probe.Str("message")!.ShouldStartWith("The store refused a write: ");
        result.IsNull("database.write_probe_ms").ShouldBeTrue();
        Check(result, "database_open").Str("status").ShouldBe("healthy");
        result.Strs("reasons")[0].ShouldStartWith("write_probe (critical): The store refused a write");
    }

    [Fact]
    public async Task HealthCheck_SupervisorFactsInMeta_ReportsTheSupervisorsClientCallsAndRestarts()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var now = server.Clock.GetUtcNow();
        var facts = new SupervisorFacts
        {
            InstanceId = "inst_supervisor",
            SupervisorPid = 4242,
            StartedAt = now - TimeSpan.FromHours(2),
            State = "serving",
            WorkerGeneration = 3,
            WorkerPid = 4343,
            Restarts = 2,
            CrashRecoveries = 1,
            Client = new ClientFact("claude-code", "1.2.0", "2025-06-18", now - TimeSpan.FromHours(2), now - TimeSpan.FromSeconds(5)),
            InFlight = [new InFlightFact("17", "tools/call", "orchestrator_plan_task", now - TimeSpan.FromSeconds(3))],
            Buffered = 0,
        };

        var result = await CallWithFactsAsync(server, "orchestrator_health_check", facts);

        result.Str("connections.source").ShouldBe("supervisor");
        result.Pluck("connections.clients", "name").ShouldBe(["claude-code"]);
        result.Str("connections.clients.0.version").ShouldBe("1.2.0");
        result.Time("connections.clients.0.last_activity_at").ShouldBe(now - TimeSpan.FromSeconds(5));
        result.Pluck("connections.in_flight", "tool").ShouldBe(["orchestrator_plan_task"]);
        result.Num("connections.in_flight.0.age_ms").ShouldBe(3000);
        result.Int("connections.buffered").ShouldBe(0);
        result.Int("restart_count").ShouldBe(3);
        result.Int("server.worker_generation").ShouldBe(3);
        var restarts = Check(result, "restarts");
        restarts.Str("status").ShouldBe("healthy");
        restarts.Num("figures.restarts").ShouldBe(2);
        restarts.Num("figures.crash_recoveries").ShouldBe(1);
        result.Pluck("reboot_readiness.blocking_issues", "kind").ShouldBe(["calls_in_flight"]);
    }

    [Fact]
    public async Task HealthCheck_SupervisorReportsRestartUnderWay_RestartsDegradedAndShutdownBlocked()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var now = server.Clock.GetUtcNow();
        var facts = new SupervisorFacts
        {
            InstanceId = "inst_supervisor",
            State = "restarting",
            RestartInProgress = new RestartInProgressFact("draining", "configuration_update", now - TimeSpan.FromSeconds(1)),
        };

        var result = await CallWithFactsAsync(server, "orchestrator_health_check", facts);

        Check(result, "restarts").Str("status").ShouldBe("degraded");
        result.Str("status").ShouldBe("degraded");
        result.Pluck("reboot_readiness.blocking_issues", "kind").ShouldBe(["restart_in_progress"]);
        result.Str("reboot_readiness.restart_in_progress.phase").ShouldBe("draining");
    }

    [Fact]
    public async Task ExecuteTask_StandaloneServer_HoldsTheWorkInItsOwnInstanceName()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var instanceId = (await server.OkAsync("orchestrator_health_check")).Str("server.instance_id");
        var taskId = await server.PlanIdAsync(new { title = "Held" });

        await server.ExecuteAsync(taskId, "agent-1");

        StoreSnapshot.Value(server.DatabasePath, $"SELECT holder_instance_id FROM task WHERE id = '{taskId}'").ShouldBe(instanceId);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT state || ' ' || role || ' ' || process_id FROM server_instance WHERE id = '{instanceId}'")
            .ShouldBe($"running standalone {Environment.ProcessId}");
    }

    internal static JsonElement Check(JsonElement result, string name) =>
        result.Items("checks").Single(c => c.Str("name") == name);

    internal static async Task<JsonElement> CallWithFactsAsync(OrchestratorServer server, string tool, SupervisorFacts facts, Dictionary<string, JsonElement>? arguments = null)
    {
        var parameters = new CallToolRequestParams
        {
            Name = tool,
            Arguments = arguments,
            Meta = new JsonObject { [SupervisorProtocol.FactsMetaKey] = JsonSerializer.SerializeToNode(facts, SupervisorJson.Default.SupervisorFacts) },
        };
        var result = await server.Client.CallToolAsync(parameters, TestContext.Current.CancellationToken);
        return ToolAnswer.From(tool, result).Ok();
    }

    /// <summary>Runs chattr; null on success, else what went wrong.</summary>
    private static string? Chattr(string change, string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [change, path]) { RedirectStandardError = true, UseShellExecute = false })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return ex.Message;
        }
    }
}
