using Shouldly;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Mcp.Tests.Operations;

public sealed class RestartToolsTests
{
    [Fact]
    public async Task RestartServer_NoSupervisor_RefusesWithNotSupervisedAndSaysHowToRunSupervised()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var error = await server.ErrorAsync("orchestrator_restart_server", new { graceful = false, timeout_seconds = 60, reason = "configuration_update" });

        error.Str("code").ShouldBe("not_supervised");
        error.Str("message").ShouldBe($"This server runs without a supervisor (started as `serve-worker` or with --no-supervisor, pid {Environment.ProcessId}), so it cannot restart itself without dropping your session. Nothing was restarted.");
        error.Str("hint")!.ShouldStartWith("Start it with `task-orchestrator serve`");
        error.Str("details.requested.reason").ShouldBe("configuration_update");
        error.Bool("details.requested.graceful").ShouldBeFalse();
        error.Int("details.requested.timeout_seconds").ShouldBe(60);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(301)]
    public async Task RestartServer_TimeoutOutOfRange_RefusedBeforeAnything(int timeout)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var error = await server.ErrorAsync("orchestrator_restart_server", new { timeout_seconds = timeout });

        error.Str("code").ShouldBe("invalid_argument");
        error.Str("field").ShouldBe("timeout_seconds");
    }

    [Fact]
    public async Task RestartStatus_NoSupervisor_ReturnsThePersistedHistoryWithPhaseNotSupervised()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.OkAsync("orchestrator_health_check");
        var started = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        await using (var provider = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System))
        {
            var store = await provider.OpenAsync(server.Workspace, TestContext.Current.CancellationToken);
            await using var unit = await store.BeginWriteAsync(TestContext.Current.CancellationToken);
            await unit.Restarts.InsertAsync(
                new RestartRecord
                {
                    Id = "rst_earlier",
                    WorkspaceId = store.Workspace.Id,
                    InstanceId = "inst_supervisor",
                    Kind = RestartKind.CrashRecovery,
                    Reason = RestartReason.ErrorRecovery,
                    RequestedBy = "supervisor",
                    StartedAt = started,
                    FinishedAt = started.AddMilliseconds(1500),
                    Outcome = RestartOutcome.RolledBack,
                    FromVersion = "0.2.0",
                    ToVersion = "0.3.0",
                    Phases = [new RestartPhaseRecord(RestartPhase.Starting, started, 1200, false, "exited with 1")],
                    Error = "the new worker failed its health check",
                },
                TestContext.Current.CancellationToken);
            await unit.CommitAsync(TestContext.Current.CancellationToken);
        }

        var withErrors = await server.OkAsync("orchestrator_restart_status", new { include_history = true, include_error_details = true });
        var withoutErrors = await server.OkAsync("orchestrator_restart_status", new { include_history = true });

        withErrors.Bool("supervised").ShouldBeFalse();
        withErrors.Str("phase").ShouldBe("not_supervised");
        withErrors.IsNull("current").ShouldBeTrue();
        withErrors.IsNull("supervisor").ShouldBeTrue();
        withErrors.Int("history_total").ShouldBe(1);
        var entry = withErrors.Items("history").ShouldHaveSingleItem();
        entry.Str("id").ShouldBe("rst_earlier");
        entry.Str("kind").ShouldBe("crash_recovery");
        entry.Str("reason").ShouldBe("error_recovery");
        entry.Str("outcome").ShouldBe("rolled_back");
        entry.Num("duration_ms").ShouldBe(1500);
        entry.Str("phases.0.phase").ShouldBe("starting");
        entry.Str("phases.0.detail").ShouldBe("exited with 1");
        entry.Str("error").ShouldBe("the new worker failed its health check");
        withoutErrors.IsNull("history.0.error").ShouldBeTrue();
    }

    [Fact]
    public async Task RestartStatus_HistoryNotAsked_LeavesItOutButCountsIt()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_restart_status", new { include_history = false });

        result.IsNull("history").ShouldBeTrue();
        result.Int("history_total").ShouldBe(0);
        result.Str("phase").ShouldBe("not_supervised");
    }

    [Fact]
    public async Task ReconnectTest_NoSupervisor_MeasuresTheStoreRoundTripAndSaysWhatIsAbsent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = (await server.InitializeAsync("reconnecting")).Str("session_id");

        var result = await server.OkAsync("orchestrator_reconnect_test", new { session_id = session });

        result.Str("status").ShouldBe("ok");
        result.Bool("supervised").ShouldBeFalse();
        result.Bool("store.ok").ShouldBeTrue();
        result.Num("store.read_ms").ShouldBeGreaterThan(0);
        result.Num("store.write_probe_ms").ShouldBeGreaterThan(0);
        result.IsNull("store.error").ShouldBeTrue();
        result.IsNull("supervisor").ShouldBeTrue();
        result.IsNull("buffer").ShouldBeTrue();
        result.IsNull("reconnection_stats").ShouldBeTrue();
        result.Str("session.session_id").ShouldBe(session);
        result.Bool("session.found").ShouldBeTrue();
        result.Str("session.name").ShouldBe("reconnecting");
        result.Str("session.status").ShouldBe("active");
        result.Strs("notes").ShouldHaveSingleItem().ShouldStartWith("No supervisor runs this server (started as `serve-worker` or with --no-supervisor)");
    }

    [Fact]
    public async Task ReconnectTest_UnknownSession_Fails()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_reconnect_test", new { session_id = "ses_missing" });

        result.Str("status").ShouldBe("failed");
        result.Bool("store.ok").ShouldBeTrue();
        result.Bool("session.found").ShouldBeFalse();
    }
}
