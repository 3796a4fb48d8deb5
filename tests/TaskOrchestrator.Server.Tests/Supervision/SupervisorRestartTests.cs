using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;
using static TaskOrchestrator.Server.Tests.Supervision.SupervisedServer;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>
/// Restarts through the real supervisor and real worker processes: the client's session and calls
/// survive them.
/// </summary>
public sealed class SupervisorRestartTests
{
    private const int SigStop = 19;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RestartServer_WhileTheClientKeepsCalling_EveryCallAnsweredOnceOnTheSameSession()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
        var sessionId = Ok(await server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["session_name"] = "steady" }, Token)).Str("session_id");
        var firstWorker = await WorkerPidAsync(server);

        using var stop = new CancellationTokenSource();
        var callers = Enumerable.Range(0, 3).Select(caller => KeepPlanningAsync(server, caller, stop.Token)).ToArray();
        await Task.Delay(300, Token);
        var restarts = new List<JsonObject>();
        for (var i = 0; i < 2; i++)
        {
            restarts.Add(Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "manual_request" }, Token)));
            await Task.Delay(300, Token);
        }

        await stop.CancelAsync();
        var planned = (await Task.WhenAll(callers)).SelectMany(titles => titles).ToArray();

        restarts.Select(r => (r.Str("outcome"), r["session_preserved"]!.GetValue<bool>())).ShouldBe([("succeeded", true), ("succeeded", true)]);
        restarts.Select(r => r["phases"]!.AsArray().Select(p => p.Str("phase")).ToArray()).ShouldAllBe(phases =>
            phases.SequenceEqual(new[] { "preparing", "draining", "stopping", "starting", "loading_state", "health_check", "resuming" }));
        (await WorkerPidAsync(server)).ShouldNotBe(firstWorker);
        Ok(await server.CallToolAsync("orchestrator_session_status", new JsonObject(), Token))["progress"]!["session"]!.Str("session_id").ShouldBe(sessionId);
        using var db = WorkspaceDatabase.Open(workspace.Path);
        WorkspaceDatabase.Column(db, "SELECT title FROM task ORDER BY title").ShouldBe(planned.Order(StringComparer.Ordinal).ToArray());
        planned.Length.ShouldBeGreaterThan(30);
        server.UnmatchedAnswers.ShouldBeEmpty();
        server.ProtocolViolations.ShouldBeEmpty();
        (await HistoryAsync(server)).Select(h => (h.Str("kind"), h.Str("outcome"))).ShouldBe([("restart", "succeeded"), ("restart", "succeeded")]);
    }

    [Fact]
    public async Task WorkerKilledMidCall_ReadsAreReplayedWritesAnsweredInterruptedAndTheSessionContinues()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
        var sessionId = Ok(await server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["session_name"] = "crashing" }, Token)).Str("session_id");
        var worker = await WorkerPidAsync(server);

        // A batch big enough that part of it is still in flight when the worker dies.
        var reads = Enumerable.Range(0, 20).Select(_ => server.CallToolAsync("orchestrator_query_tasks", new JsonObject(), Token)).ToArray();
        var writes = Enumerable.Range(0, 20).Select(i => server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = $"write {i}", ["idempotency_key"] = $"key-{i}" }, Token)).ToArray();
        Posix.Kill(worker, SigKill).ShouldBe(0);
        var readResults = await Task.WhenAll(reads);
        var writeResults = await Task.WhenAll(writes);

        readResults.ShouldAllBe(r => r["isError"] == null || !r["isError"]!.GetValue<bool>());
        var interrupted = writeResults.Where(r => r["isError"] != null && r["isError"]!.GetValue<bool>()).ToArray();
        foreach (var error in interrupted.Select(Error))
        {
            error.Str("code").ShouldBe("interrupted");
            error.Str("message").ShouldContain("may or may not have been applied");
            error.Str("hint").ShouldContain("same idempotency_key");
        }

        // Retrying every write with its key leaves each task exactly once.
        for (var i = 0; i < 20; i++)
        {
            Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = $"write {i}", ["idempotency_key"] = $"key-{i}" }, Token));
        }

        using (var db = WorkspaceDatabase.Open(workspace.Path))
        {
            WorkspaceDatabase.Column(db, "SELECT title FROM task ORDER BY title").ShouldBe(Enumerable.Range(0, 20).Select(i => $"write {i}").Order(StringComparer.Ordinal).ToArray());
        }

        (await WorkerPidAsync(server)).ShouldNotBe(worker);
        Ok(await server.CallToolAsync("orchestrator_session_status", new JsonObject(), Token))["progress"]!["session"]!.Str("session_id").ShouldBe(sessionId);
        var crash = (await HistoryAsync(server)).ShouldHaveSingleItem();
        (crash.Str("kind"), crash.Str("outcome"), crash.Str("reason"), crash.Str("requested_by")).ShouldBe(("crash_recovery", "succeeded", "error_recovery", "supervisor"));
        crash.Str("error").ShouldContain($"pid {worker}");
        server.UnmatchedAnswers.ShouldBeEmpty();
        var stats = Ok(await server.CallToolAsync("orchestrator_reconnect_test", new JsonObject { ["include_reconnection_stats"] = true }, Token))["reconnection_stats"]!;
        (stats["crash_recoveries"]!.GetValue<int>(), stats["failed_requests"]!.GetValue<int>()).ShouldBe((1, interrupted.Length));
    }

    [Fact]
    public async Task RestartServer_NotGraceful_RestartsAtOnceAndRecordsIt()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
        var worker = await WorkerPidAsync(server);

        var restart = Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["graceful"] = false, ["reason"] = "emergency_shutdown" }, Token));

        (restart.Str("outcome"), restart["graceful"]!.GetValue<bool>(), restart.Str("reason")).ShouldBe(("succeeded", false, "emergency_shutdown"));
        restart["phases"]!.AsArray().Single(p => p.Str("phase") == "draining")!.Str("detail").ShouldStartWith("not graceful: ");
        (await WorkerPidAsync(server)).ShouldNotBe(worker);
        (await HistoryAsync(server)).ShouldHaveSingleItem().Str("reason").ShouldBe("emergency_shutdown");
    }

    [Fact]
    public async Task RestartsWithAConfigurationFile_KeepOnlyTheSnapshotTheWorkerRunsFrom_AndNoneAfterTheStop()
    {
        using var workspace = new TemporaryDirectory();
        var config = Path.Combine(workspace.Path, "orchestrator.json");
        await File.WriteAllTextAsync(config, """{ "Health": { "MonitorInterval": "00:00:30" } }""", Token);
        var snapshots = Path.Combine(workspace.Path, ".task-orchestrator", "supervisor");
        await using var server = await ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--log-level", "warning", "--config", config);

        for (int i = 0; i < 3; i++)
        {
            Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "configuration_update" }, Token)).Str("outcome").ShouldBe("succeeded");
        }

        // Four workers were started from four snapshots; the one serving is the only one left.
        Directory.GetFiles(snapshots, "config-*.json").ShouldHaveSingleItem().ShouldEndWith("-4.json");
        server.CloseInput();
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue();
        Directory.GetFiles(snapshots, "config-*.json").ShouldBeEmpty();
    }

    [Fact]
    public async Task Sigterm_ReadCallStillInFlightAfterTheDrain_IsAnsweredThatTheServerIsShuttingDown()
    {
        using var workspace = new TemporaryDirectory();
        var environment = new Dictionary<string, string>
        {
            ["TASK_ORCHESTRATOR__Supervisor__ShutdownDrainTimeout"] = "00:00:01",
            ["TASK_ORCHESTRATOR__Supervisor__WorkerStopTimeout"] = "00:00:01",
        };
        await using var server = await ServerProcess.StartInitializedAsync(environment, Token, "--workspace", workspace.Path, "--log-level", "warning");
        var worker = await WorkerPidAsync(server);

        // A worker that stops answering (SIGSTOP) holds a read-only call past the drain timeout.
        Posix.Kill(worker, SigStop).ShouldBe(0);
        var read = server.RequestAsync("tools/list", new JsonObject(), Token);
        await Task.Delay(300, Token);
        server.Signal(Posix.SigTerm);

        var answer = await read.WaitAsync(TimeSpan.FromSeconds(30), Token);
        answer["error"]!["data"]!["code"]!.GetValue<string>().ShouldBe("server_shutting_down");
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue();
        server.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task RestartServer_OutOfRangeTimeout_IsRefusedAndNothingRestarts()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
        var worker = await WorkerPidAsync(server);

        var error = Error(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["timeout_seconds"] = 5 }, Token));

        (error.Str("code"), error.Str("field")).ShouldBe(("invalid_argument", "timeout_seconds"));
        error.Str("message").ShouldBe("'timeout_seconds' is 5, outside the allowed range 10..300.");
        (await WorkerPidAsync(server)).ShouldBe(worker);
        (await HistoryAsync(server)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SessionBoundOnTheConnection_IsStillCurrentAfterARestart()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
        var sessionId = Ok(await server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["session_name"] = "bound" }, Token)).Str("session_id");

        Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject(), Token)).Str("outcome").ShouldBe("succeeded");
        var planned = Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "after the restart" }, Token));

        planned["task"]!.Str("session_id").ShouldBe(sessionId);
    }

    // Plans tasks one after another until told to stop; returns the titles whose calls succeeded.
    private static async Task<List<string>> KeepPlanningAsync(ServerProcess server, int caller, CancellationToken stop)
    {
        var titles = new List<string>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var title = $"caller {caller} call {i:D4}";
            Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = title }, Token));
            titles.Add(title);
            await Task.Delay(10, Token);
        }

        return titles;
    }
}
