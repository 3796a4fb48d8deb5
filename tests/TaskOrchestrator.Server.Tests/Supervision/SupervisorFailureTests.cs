using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;
using static TaskOrchestrator.Server.Tests.Supervision.SupervisedServer;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>
/// Builds and configurations that fail: a restart into them rolls back, a worker that cannot start
/// at all makes the supervisor critical, with an answer to every call that names the cause.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SupervisorFailureTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RestartIntoABuildThatFailsToStart_RollsBackAndKeepsServing()
    {
        using var workspace = new TemporaryDirectory();
        using var builds = new TemporaryDirectory();
        var current = Path.Combine(builds.Path, "current");
        File.CreateSymbolicLink(current, AppContext.BaseDirectory.TrimEnd('/'));
        var broken = BrokenBuild(builds.Path, exitCode: 3, "error: this build cannot load its configuration");
        await using var server = await ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--log-level", "warning", "--worker-path", current);
        var sessionId = Ok(await server.CallToolAsync("orchestrator_initialize_session", new JsonObject(), Token)).Str("session_id");
        var worker = await WorkerPidAsync(server);

        // The new build goes live the way a deployment does it: the link is pointed at it.
        File.Delete(current);
        File.CreateSymbolicLink(current, broken);
        var restart = Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "configuration_update", ["timeout_seconds"] = 10 }, Token));

        restart.Str("outcome").ShouldBe("rolled_back");
        restart.Str("failure").ShouldContain("exited with code 3");
        restart.Str("failure").ShouldContain("error: this build cannot load its configuration");
        restart.Str("message").ShouldStartWith("Rolled back: the new worker failed (");
        var planned = Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "served by the previous build" }, Token));
        planned["task"]!.Str("session_id").ShouldBe(sessionId);
        (await WorkerPidAsync(server)).ShouldNotBe(worker);
        var entry = (await HistoryAsync(server)).ShouldHaveSingleItem();
        (entry.Str("outcome"), entry.Str("reason")).ShouldBe(("rolled_back", "configuration_update"));
        entry.Str("error").ShouldContain("exited with code 3");
        entry["phases"]!.AsArray().Where(p => !p!["succeeded"]!.GetValue<bool>()).Select(p => p.Str("phase")).ShouldBe(["loading_state"]);
    }

    [Fact]
    public async Task RestartWithAConfigurationTheWorkerRefuses_RollsBackToThePreviousConfiguration()
    {
        using var workspace = new TemporaryDirectory();
        var config = Path.Combine(workspace.Path, "settings.json");
        await File.WriteAllTextAsync(config, """{ "Orchestrator": { "RootsTimeout": "00:00:05" } }""", Token);
        await using var server = await ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--log-level", "warning", "--config", config);

        await File.WriteAllTextAsync(config, """{ "Orchestrator": { "RootsTimeout": "01:00:00" } }""", Token);
        var restart = Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["reason"] = "configuration_update", ["timeout_seconds"] = 10 }, Token));

        restart.Str("outcome").ShouldBe("rolled_back");
        restart.Str("failure").ShouldContain("Orchestrator:RootsTimeout is 01:00:00");
        Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "still serving" }, Token));
    }

    [Fact]
    public async Task WorkerThatNeverStarts_MakesTheSupervisorCriticalAndEveryCallNamesTheCauseAndTheLogFile()
    {
        using var workspace = new TemporaryDirectory();
        using var builds = new TemporaryDirectory();
        var broken = BrokenBuild(builds.Path, exitCode: 1, "Unhandled exception: the database is on fire");
        var fastCrashes = new Dictionary<string, string>
        {
            ["TASK_ORCHESTRATOR__Supervisor__CrashBackoff"] = "00:00:00.020",
            ["TASK_ORCHESTRATOR__Supervisor__MaxCrashBackoff"] = "00:00:00.100",
            ["TASK_ORCHESTRATOR__Supervisor__CrashLoopLimit"] = "3",
        };
        await using var server = ServerProcess.Start(null, fastCrashes, "--workspace", workspace.Path, "--log-level", "warning", "--worker-path", broken);

        var initialize = await server.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" },
        }, Token);
        var call = await server.CallToolAsync("orchestrator_query_tasks", new JsonObject(), Token);

        var error = initialize["error"].ShouldBeOfType<JsonObject>();
        error["data"]!.Str("code").ShouldBe("server_critical");
        error.Str("message").ShouldContain("exited with code 1");
        error.Str("message").ShouldContain("3 times");
        error.Str("message").ShouldContain("Unhandled exception: the database is on fire");
        error.Str("message").ShouldContain(Path.Combine(workspace.Path, ".task-orchestrator", "logs"));
        var toolError = Error(call);
        toolError.Str("code").ShouldBe("server_critical");
        toolError.Str("hint").ShouldContain(Path.Combine(workspace.Path, ".task-orchestrator", "logs", "task-orchestrator-"));
        server.HasExited.ShouldBeFalse();
        server.UnmatchedAnswers.ShouldBeEmpty();
    }

    [Fact]
    public async Task RestartWhileTheWorkspaceIsCritical_SucceedsBecauseTheOldWorkerWasCriticalToo()
    {
        using var workspace = new TemporaryDirectory();
        var diskAlwaysTooFull = new Dictionary<string, string>
        {
            ["TASK_ORCHESTRATOR__Health__DiskFreeCriticalBytes"] = "9000000000000000000",
            ["TASK_ORCHESTRATOR__Health__DiskFreeDegradedBytes"] = "9000000000000000000",
        };
        await using var server = await ServerProcess.StartInitializedAsync(diskAlwaysTooFull, Token, "--workspace", workspace.Path, "--log-level", "warning");
        Ok(await server.CallToolAsync("orchestrator_health_check", new JsonObject(), Token)).Str("status").ShouldBe("critical");

        var restart = Ok(await server.CallToolAsync("orchestrator_restart_server", new JsonObject { ["timeout_seconds"] = 10 }, Token));

        restart.Str("outcome").ShouldBe("succeeded");
        var phases = restart["phases"]!.AsArray();
        phases.Single(p => p.Str("phase") == "preparing")!.Str("detail").ShouldEndWith("running worker's health critical");
        phases.Single(p => p.Str("phase") == "health_check")!.Str("detail").ShouldStartWith("health check critical, accepted because");
        Ok(await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "served while the disk check is critical" }, Token));
    }

    // A build folder whose apphost is a script that writes a line to stderr and exits.
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static string BrokenBuild(string parent, int exitCode, string stderrLine)
    {
        var folder = Directory.CreateDirectory(Path.Combine(parent, $"broken-{exitCode}")).FullName;
        var appHost = Path.Combine(folder, "task-orchestrator");
        File.WriteAllText(appHost, $"#!/bin/sh\necho '{stderrLine}' >&2\nexit {exitCode}\n");
        File.SetUnixFileMode(appHost, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return folder;
    }
}
