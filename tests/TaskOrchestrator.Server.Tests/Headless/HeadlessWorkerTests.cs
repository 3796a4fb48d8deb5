using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;
using static TaskOrchestrator.Server.Tests.Headless.HeadlessWorkspace;

namespace TaskOrchestrator.Server.Tests.Headless;

/// <summary><c>task-orchestrator worker</c> processes on real workspaces, running real shell commands.</summary>
public sealed class HeadlessWorkerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Worker_TreeWithDependencies_CompletesEveryTaskOnceInDependencyOrderWithTheCommandsOutput()
    {
        using var workspace = new TemporaryDirectory();
        var ids = await PlanAsync(workspace.Path, new JsonObject
        {
            ["title"] = "root",
            ["subtasks"] = new JsonArray(
                Spec("a", "implementation"),
                Spec("b", "implementation", "a"),
                Spec("c", "implementation", "a"),
                Spec("d", "implementation", "b", "c")),
        }, Token);

        // Records what it was given (environment and stdin), then prints a result and a note on stderr.
        const string Command = """
            printf '%s|%s|%s|%s|%s\n' "$TASK_ORCHESTRATOR_TASK_ID" "$TASK_ORCHESTRATOR_TASK_TITLE" "$TASK_ORCHESTRATOR_SPECIALIST" "$TASK_ORCHESTRATOR_AGENT_ID" "$TASK_ORCHESTRATOR_PARENT_TASK_ID" >> ran.log
            printf '%s' "$TASK_ORCHESTRATOR_LEASE_TOKEN" > "lease-$TASK_ORCHESTRATOR_TASK_ID"
            cat > "stdin-$TASK_ORCHESTRATOR_TASK_ID.json"
            echo "built $TASK_ORCHESTRATOR_TASK_TITLE in $(pwd)"
            echo "a note" >&2
            """;
        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--specialist", "generic", "--agent-id", "w1", "--exec", Command, "--exit-when-idle");

        (await worker.WaitForExitAsync(Patience)).ShouldBeTrue(worker.Stderr);
        worker.ExitCode.ShouldBe(0, worker.Stderr);
        worker.Stdout.ShouldBeEmpty();

        var ran = File.ReadAllLines(Path.Combine(workspace.Path, "ran.log")).Select(l => l.Split('|')).ToList();
        ran.Select(r => r[0]).ShouldBe(ids.Values, ignoreOrder: true);
        var order = ran.Select(r => r[1]).ToList();
        order[0].ShouldBe("a");
        order.IndexOf("d").ShouldBeGreaterThan(Math.Max(order.IndexOf("b"), order.IndexOf("c")));
        order[^1].ShouldBe("root");
        ran.ShouldAllBe(r => r[3] == "w1");
        ran.Single(r => r[1] == "a")[2].ShouldBe("implementer");
        ran.Single(r => r[1] == "a")[4].ShouldBe(ids["root"]);
        ran.Single(r => r[1] == "root")[2].ShouldBe("generic");

        using var db = WorkspaceDatabase.Open(workspace.Path);
        foreach (var (title, id) in ids)
        {
            Scalar(db, "SELECT status || '|' || ifnull(assigned_agent, 'null') || '|' || ifnull(lease_token, 'null') FROM task WHERE id = $id", ("$id", id)).ShouldBe("completed|null|null");
            Rows(db, "SELECT content FROM artifact WHERE task_id = $id", ("$id", id)).ShouldBe([$"built {title} in {workspace.Path}\n--- stderr ---\na note\n"]);
            Rows(db, "SELECT actor FROM event WHERE task_id = $id AND kind = 'status_changed' AND to_state = 'in_progress'", ("$id", id)).ShouldBe(["w1"]);
        }

        var d = JsonNode.Parse(File.ReadAllText(Path.Combine(workspace.Path, $"stdin-{ids["d"]}.json")))!;
        d["task"]!["task_id"]!.GetValue<string>().ShouldBe(ids["d"]);
        d["specialist"]!["name"]!.GetValue<string>().ShouldBe("implementer");
        d["specialist"]!["prompt"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        d["parent_context"]!["task_id"]!.GetValue<string>().ShouldBe(ids["root"]);
        d["lease"]!["lease_token"]!.GetValue<string>().ShouldBe(File.ReadAllText(Path.Combine(workspace.Path, $"lease-{ids["d"]}")));
        d["instructions"]!.GetValue<string>().ShouldContain("exit 0");
        var dependencies = d["dependency_results"]!.AsArray();
        dependencies.Select(r => r!["title"]!.GetValue<string>()).ShouldBe(["b", "c"], ignoreOrder: true);
        dependencies.ShouldAllBe(r => r!["artifacts"]![0]!["content"]!.GetValue<string>().StartsWith("built ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_CommandExitsNonZero_FailsTheTaskWithTheOutputTail()
    {
        using var workspace = new TemporaryDirectory();
        var ids = await PlanAsync(workspace.Path, new JsonObject { ["title"] = "doomed", ["task_type"] = "implementation" }, Token);

        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--exec", "echo 'step 1 ok'; echo 'compiler: 2 errors' >&2; exit 3", "--exit-when-idle");

        (await worker.WaitForExitAsync(Patience)).ShouldBeTrue(worker.Stderr);
        worker.ExitCode.ShouldBe(0, worker.Stderr);
        using var db = WorkspaceDatabase.Open(workspace.Path);
        Scalar(db, "SELECT status FROM task WHERE id = $id", ("$id", ids["doomed"])).ShouldBe("failed");
        var reason = Scalar(db, "SELECT status_reason FROM task WHERE id = $id", ("$id", ids["doomed"]));
        reason.ShouldStartWith("The command of worker 'worker-");
        reason.ShouldContain("exited with code 3 after ");
        reason.ShouldContain("stderr ends with:\ncompiler: 2 errors");
        reason.ShouldContain("stdout ends with:\nstep 1 ok");
        Scalar(db, "SELECT count(*) FROM artifact WHERE task_id = $id", ("$id", ids["doomed"])).ShouldBe("0");
    }

    [Fact]
    public async Task TwoWorkersWithConcurrency2_ShareOneWorkspace_EachTaskRunsExactlyOnce()
    {
        using var workspace = new TemporaryDirectory();
        var subtasks = new JsonArray([.. Enumerable.Range(1, 16).Select(i => (JsonNode)Spec($"t{i}", "implementation"))]);
        var ids = await PlanAsync(workspace.Path, new JsonObject { ["title"] = "root", ["subtasks"] = subtasks }, Token);
        const string Command = "sleep 0.3; echo \"$TASK_ORCHESTRATOR_TASK_ID $TASK_ORCHESTRATOR_AGENT_ID\" >> ran.log; echo done";

        await using var first = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--specialist", "generic", "--agent-id", "w1", "--concurrency", "2", "--exec", Command, "--exit-when-idle");
        await using var second = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--specialist", "generic", "--agent-id", "w2", "--concurrency", "2", "--exec", Command, "--exit-when-idle");

        (await first.WaitForExitAsync(Patience)).ShouldBeTrue(first.Stderr);
        (await second.WaitForExitAsync(Patience)).ShouldBeTrue(second.Stderr);
        first.ExitCode.ShouldBe(0, first.Stderr);
        second.ExitCode.ShouldBe(0, second.Stderr);

        var ran = File.ReadAllLines(Path.Combine(workspace.Path, "ran.log")).Select(l => l.Split(' ')[0]).ToList();
        ran.ShouldBe(ids.Values, ignoreOrder: true);
        using var db = WorkspaceDatabase.Open(workspace.Path);
        Scalar(db, "SELECT count(*) FROM task WHERE status = 'completed'").ShouldBe("17");
        Scalar(db, "SELECT count(*) FROM artifact").ShouldBe("17");
        Rows(db, "SELECT task_id FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress'").ShouldBe(ids.Values, ignoreOrder: true);
    }

    [Fact]
    public async Task Sigterm_CommandOutlastsTheGracePeriod_KillsItReleasesTheTaskAndExitsWith0()
    {
        using var workspace = new TemporaryDirectory();
        var ids = await PlanAsync(workspace.Path, new JsonObject { ["title"] = "long", ["task_type"] = "implementation" }, Token);
        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--agent-id", "w1", "--grace-period", "1s", "--exec", "touch started; sleep 60; echo never");
        await WaitUntilAsync(workspace.Path, _ => File.Exists(Path.Combine(workspace.Path, "started")), Patience, "the command to start");

        worker.Signal(Posix.SigTerm);

        (await worker.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue(worker.Stderr);
        worker.ExitCode.ShouldBe(0, worker.Stderr);
        using var db = WorkspaceDatabase.Open(workspace.Path);
        Scalar(db, "SELECT status || '|' || ifnull(assigned_agent, 'null') || '|' || ifnull(lease_token, 'null') FROM task WHERE id = $id", ("$id", ids["long"])).ShouldBe("pending|null|null");
        Scalar(db, "SELECT status_reason FROM task WHERE id = $id", ("$id", ids["long"])).ShouldStartWith("released by agent 'w1': worker 'w1' stopped: its command was still running after the 1 s grace period and was killed");
        Rows(db, "SELECT from_state || '>' || to_state || '|' || ifnull(json_extract(data_json, '$.cause'), 'null') FROM event WHERE task_id = $id AND kind = 'status_changed' ORDER BY seq", ("$id", ids["long"]))
            .ShouldBe(["pending>in_progress|null", "in_progress>pending|released"]);
        Scalar(db, "SELECT count(*) FROM artifact").ShouldBe("0");
        Scalar(db, "SELECT state FROM server_instance WHERE process_id = $pid", ("$pid", worker.Pid)).ShouldBe("stopped");
    }

    [Fact]
    public async Task Sigterm_CommandFinishesWithinTheGracePeriod_CompletesTheTask()
    {
        using var workspace = new TemporaryDirectory();
        var ids = await PlanAsync(workspace.Path, new JsonObject { ["title"] = "short", ["task_type"] = "implementation" }, Token);
        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--grace-period", "20s", "--exec", "touch started; sleep 2; echo finished");
        await WaitUntilAsync(workspace.Path, _ => File.Exists(Path.Combine(workspace.Path, "started")), Patience, "the command to start");

        worker.Signal(Posix.SigTerm);

        (await worker.WaitForExitAsync(TimeSpan.FromSeconds(40))).ShouldBeTrue(worker.Stderr);
        worker.ExitCode.ShouldBe(0, worker.Stderr);
        using var db = WorkspaceDatabase.Open(workspace.Path);
        Scalar(db, "SELECT status FROM task WHERE id = $id", ("$id", ids["short"])).ShouldBe("completed");
        Rows(db, "SELECT content FROM artifact WHERE task_id = $id", ("$id", ids["short"])).ShouldBe(["finished\n"]);
    }

    [Fact]
    public async Task WorkerKilledMidTask_LeaseIsReclaimedAndAnotherWorkerDoesTheTask()
    {
        using var workspace = new TemporaryDirectory();
        var ids = await PlanAsync(workspace.Path, new JsonObject { ["title"] = "orphan", ["task_type"] = "implementation" }, Token);
        const string Command = """if [ "$TASK_ORCHESTRATOR_AGENT_ID" = w1 ]; then touch started; sleep 120; fi; echo "done by $TASK_ORCHESTRATOR_AGENT_ID" """;
        await using var first = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--agent-id", "w1", "--lease-seconds", "10", "--exec", Command);
        await WaitUntilAsync(workspace.Path, _ => File.Exists(Path.Combine(workspace.Path, "started")), Patience, "the first worker's command to start");

        first.Kill();
        (await first.WaitForExitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();
        using (var db = WorkspaceDatabase.Open(workspace.Path))
        {
            Scalar(db, "SELECT status || '|' || assigned_agent FROM task WHERE id = $id", ("$id", ids["orphan"])).ShouldBe("in_progress|w1");
        }

        await using var second = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--agent-id", "w2", "--poll-interval", "1s", "--exec", Command, "--exit-when-idle");

        (await second.WaitForExitAsync(Patience)).ShouldBeTrue(second.Stderr);
        second.ExitCode.ShouldBe(0, second.Stderr);
        using (var db = WorkspaceDatabase.Open(workspace.Path))
        {
            Scalar(db, "SELECT status FROM task WHERE id = $id", ("$id", ids["orphan"])).ShouldBe("completed");
            Rows(db, "SELECT content FROM artifact WHERE task_id = $id", ("$id", ids["orphan"])).ShouldBe(["done by w2\n"]);
            Rows(db, "SELECT from_state || '>' || to_state || '|' || ifnull(ifnull(json_extract(data_json, '$.agent_id'), json_extract(data_json, '$.released_from_agent')), 'null') || '|' || ifnull(json_extract(data_json, '$.cause'), '') FROM event WHERE task_id = $id AND kind = 'status_changed' ORDER BY seq", ("$id", ids["orphan"]))
                .ShouldBe(["pending>in_progress|w1|", "in_progress>pending|w1|lease_expired", "pending>in_progress|w2|", "in_progress>completed|null|"]);
        }
    }

    [Theory]
    [InlineData("'nobody' is not a specialist role of this workspace.", "--specialist", "nobody", "--exec", "true")]
    [InlineData("--concurrency is 0; allowed: 1 to 64 tasks.", "--specialist", "implementer", "--exec", "true", "--concurrency", "0")]
    [InlineData("--lease-seconds is 5; allowed: 10 to 86400 seconds.", "--specialist", "implementer", "--exec", "true", "--lease-seconds", "5")]
    [InlineData("--grace-period 'soon' is not a duration", "--specialist", "implementer", "--exec", "true", "--grace-period", "soon")]
    [InlineData("--exec", "--specialist", "implementer")]
    public async Task Worker_BadArguments_ExitWith2NamingTheValue(string expected, params string[] arguments)
    {
        using var workspace = new TemporaryDirectory();
        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, arguments);

        (await worker.WaitForExitAsync(Patience)).ShouldBeTrue();
        worker.ExitCode.ShouldBe(2);
        (worker.Stderr + worker.Stdout).ShouldContain(expected);
        File.Exists(WorkspaceDatabase.PathOf(workspace.Path)).ShouldBeFalse();
    }

    private static JsonObject Spec(string title, string type, params string[] dependencies) => new()
    {
        ["title"] = title,
        ["key"] = title,
        ["task_type"] = type,
        ["dependencies"] = new JsonArray([.. dependencies.Select(d => (JsonNode)d)]),
    };
}
