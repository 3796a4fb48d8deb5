using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;
using static TaskOrchestrator.Server.Tests.Headless.HeadlessWorkspace;

namespace TaskOrchestrator.Server.Tests.Headless;

/// <summary>
/// Issue 4's "done when": two MCP clients and two headless workers share one workspace and drain a
/// 200-task tree with dependencies; an agent killed mid-task has its work reclaimed and finished by
/// another; the event log says who did what.
/// </summary>
public sealed class SharedWorkspaceTests
{
    private const int Layers = 20;
    private const int PerLayer = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(150);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoClientsAndTwoWorkers_DrainATwoHundredTaskTree_EachTaskOnceInDependencyOrderAndAKilledWorkersTaskFinishedByAnother()
    {
        using var workspace = new TemporaryDirectory();

        // 199 subtasks in 20 layers (each depends on the task above it in the previous layer) under
        // one root; "slow" is for the headless workers only (tester), and its first run never ends.
        var subtasks = new JsonArray();
        for (int i = 0; i < Layers * PerLayer - 1; i++)
        {
            var subtask = new JsonObject { ["key"] = $"t{i}", ["title"] = $"task {i}", ["specialist_type"] = "implementer" };
            if (i >= PerLayer)
            {
                subtask["dependencies"] = new JsonArray($"t{i - PerLayer}");
            }

            subtasks.Add(subtask);
        }

        subtasks[5]!["title"] = "slow";
        subtasks[5]!["specialist_type"] = "tester";
        var ids = await PlanAsync(workspace.Path, new JsonObject { ["title"] = "release", ["specialist_type"] = "implementer", ["subtasks"] = subtasks }, Token);
        ids.Count.ShouldBe(200);

        const string Command = """if [ "$TASK_ORCHESTRATOR_TASK_TITLE" = slow ] && [ ! -e slow-started ]; then touch slow-started; sleep 300; fi; echo "$TASK_ORCHESTRATOR_TASK_TITLE by $TASK_ORCHESTRATOR_AGENT_ID" """;
        await using var doomed = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "tester", "--agent-id", "worker-doomed", "--lease-seconds", "10", "--poll-interval", "500ms", "--exec", Command);
        await WaitUntilAsync(workspace.Path, _ => File.Exists(Path.Combine(workspace.Path, "slow-started")), Patience, "the doomed worker to start the slow task");
        doomed.Kill();
        (await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue();

        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, "--specialist", "implementer", "--specialist", "tester", "--agent-id", "worker-1", "--concurrency", "2", "--lease-seconds", "10", "--poll-interval", "500ms", "--exec", Command, "--exit-when-idle");
        var clients = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--log-level", "warning")));
        var failures = new ConcurrentBag<string>();
        try
        {
            await Task.WhenAll(clients.Select((client, c) => DrainAsync(client, $"client-{c}", failures)));
            (await worker.WaitForExitAsync(Patience)).ShouldBeTrue(worker.Stderr);
            worker.ExitCode.ShouldBe(0, worker.Stderr);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        failures.ShouldBeEmpty();
        using var db = WorkspaceDatabase.Open(workspace.Path);
        Rows(db, "SELECT status || ':' || count(*) FROM task GROUP BY status").ShouldBe(["completed:200"]);
        Scalar(db, "SELECT count(*) FROM event WHERE kind = 'status_changed' AND to_state = 'completed'").ShouldBe("200");

        // Dependency order: no task was claimed before every task it depends on was completed.
        Scalar(db, """
            SELECT count(*) FROM dependency d
            WHERE (SELECT min(e.seq) FROM event e WHERE e.task_id = d.task_id AND e.to_state = 'in_progress')
                < (SELECT max(e.seq) FROM event e WHERE e.task_id = d.depends_on_id AND e.to_state = 'completed')
            """).ShouldBe("0");

        // Who did what: every claim names its agent, and all four agents worked.
        Scalar(db, "SELECT count(*) FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress' AND json_extract(data_json, '$.agent_id') IS NULL").ShouldBe("0");
        Rows(db, "SELECT DISTINCT json_extract(data_json, '$.agent_id') FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress' ORDER BY 1")
            .ShouldBe(["client-0", "client-1", "worker-1", "worker-doomed"]);

        // The killed worker's task: lost when its lease ran out, then done by the other worker.
        Rows(db, "SELECT from_state || '>' || to_state || '|' || ifnull(ifnull(json_extract(data_json, '$.agent_id'), json_extract(data_json, '$.released_from_agent')), '') || '|' || ifnull(json_extract(data_json, '$.cause'), '') FROM event WHERE task_id = $id AND kind = 'status_changed' ORDER BY seq", ("$id", ids["slow"]))
            .ShouldBe(["pending>in_progress|worker-doomed|", "in_progress>pending|worker-doomed|lease_expired", "pending>in_progress|worker-1|", "in_progress>completed||"]);
        Rows(db, "SELECT content FROM artifact WHERE task_id = $id", ("$id", ids["slow"])).ShouldBe(["slow by worker-1\n"]);
    }

    // An MCP client's agent: claims implementer work until the workspace is drained.
    private static async Task DrainAsync(ServerProcess client, string agent, ConcurrentBag<string> failures)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var claim = await client.CallToolAsync("orchestrator_claim_next_task", new JsonObject { ["agent_id"] = agent, ["specialist_types"] = new JsonArray("implementer") }, Token);
            if (claim["isError"]?.GetValue<bool>() == true)
            {
                failures.Add(claim.ToJsonString());
                return;
            }

            var content = claim["structuredContent"]!;
            if (!content["claimed"]!.GetValue<bool>())
            {
                if (content["pending_tasks"]!.GetValue<int>() == 0 && content["in_progress_tasks"]!.GetValue<int>() == 0)
                {
                    return;
                }

                await Task.Delay(100, Token);
                continue;
            }

            var execution = content["execution"]!;
            var done = await client.CallToolAsync("orchestrator_complete_task", new JsonObject
            {
                ["task_id"] = execution["task"]!["task_id"]!.GetValue<string>(),
                ["agent_id"] = agent,
                ["lease_token"] = execution["lease"]!["lease_token"]!.GetValue<string>(),
                ["summary"] = string.Create(CultureInfo.InvariantCulture, $"{execution["task"]!["title"]} by {agent}"),
            }, Token);
            if (done["isError"]?.GetValue<bool>() == true)
            {
                failures.Add(done.ToJsonString());
            }
        }

        failures.Add($"{agent} did not finish within {Patience.TotalSeconds} s");
    }
}
