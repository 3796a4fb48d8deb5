using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary>Many agents, several server processes, one workspace: each task is handed to exactly one agent.</summary>
public sealed class ConcurrentClaimsTests
{
    private const int Processes = 3;
    private const int Agents = 32;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThirtyTwoAgentsOnThreeProcesses_DrainAThousandTasks_EachClaimedAndCompletedExactlyOnce()
    {
        using var workspace = new TemporaryDirectory();
        var servers = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--log-level", "warning", "--no-supervisor")));
        try
        {
            // Two trees of 500: 998 subtasks ready at once, and two parents that become ready when their subtasks are done.
            for (int tree = 0; tree < 2; tree++)
            {
                var subtasks = new JsonArray([.. Enumerable.Range(0, 499).Select(i => (JsonNode)new JsonObject { ["title"] = $"tree {tree} item {i}", ["priority"] = (i % 4) switch { 0 => "low", 1 => "medium", 2 => "high", _ => "critical" } })]);
                var plan = await servers[0].CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = $"tree {tree}", ["subtasks"] = subtasks }, Token);
                plan["isError"]?.GetValue<bool>().ShouldNotBe(true, plan.ToJsonString());
            }

            var completedBy = new ConcurrentDictionary<string, string>();
            var twice = new ConcurrentBag<string>();
            var failures = new ConcurrentBag<string>();
            await Task.WhenAll(Enumerable.Range(0, Agents).Select(agent => Task.Run(async () =>
            {
                var server = servers[agent % Processes];
                var name = $"agent-{agent}";
                while (true)
                {
                    var claim = await server.CallToolAsync("orchestrator_claim_next_task", new JsonObject { ["agent_id"] = name, ["lease_seconds"] = 600 }, Token);
                    var content = claim["structuredContent"]!;
                    if (claim["isError"]?.GetValue<bool>() == true)
                    {
                        failures.Add(claim.ToJsonString());
                        return;
                    }

                    if (!content["claimed"]!.GetValue<bool>())
                    {
                        if (content["in_progress_tasks"]!.GetValue<int>() == 0 && content["pending_tasks"]!.GetValue<int>() == 0)
                        {
                            return;
                        }

                        await Task.Delay(20, Token); // others hold the last tasks, or the parents wait for them
                        continue;
                    }

                    var task = ClaimedTask.From(content);
                    var (completed, answer) = await task.CompleteAsync(server, name, Token);
                    if (!completed)
                    {
                        failures.Add(answer.ToJsonString());
                    }
                    else if (!completedBy.TryAdd(task.Id, name))
                    {
                        twice.Add(task.Id);
                    }
                }
            }, Token)));

            failures.ShouldBeEmpty();
            twice.ShouldBeEmpty();
            completedBy.Count.ShouldBe(1_000);
            using var db = WorkspaceDatabase.Open(workspace.Path);
            WorkspaceDatabase.Column(db, "SELECT status || ':' || count(*) FROM task GROUP BY status").ShouldBe(["completed:1000"]);
            WorkspaceDatabase.Column(db, "SELECT count(*) FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress'").ShouldBe(["1000"]);
            WorkspaceDatabase.Column(db, "SELECT count(*) FROM task WHERE result_summary = 'done by ' || (SELECT json_extract(e.data_json, '$.agent_id') FROM event e WHERE e.task_id = task.id AND e.to_state = 'in_progress')")
                .ShouldBe([1000.ToString(CultureInfo.InvariantCulture)], "each task completed by the agent that claimed it");
            completedBy.Values.Distinct().Count().ShouldBeGreaterThan(Processes, "the work was spread over the agents");
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
