using System.Diagnostics;
using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Server.Tests.Instances;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Headless;

/// <summary>
/// On PostgreSQL a headless worker with nothing to do is woken by LISTEN/NOTIFY when another process
/// (here a server instance) commits new work: it claims the task within moments, not at its next poll.
/// </summary>
public sealed class PostgresWorkerWakeTests : IClassFixture<PostgresServerCluster>
{
    private readonly PostgresServerCluster _cluster;

    public PostgresWorkerWakeTests(PostgresServerCluster cluster) => _cluster = cluster;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdleWorker_TaskPlannedByAnotherProcess_DoneWithinSecondsWhileItsPollIsStillTenSecondsAway()
    {
        var environment = new Dictionary<string, string>
        {
            ["TASK_ORCHESTRATOR_STORE"] = "postgres",
            ["TASK_ORCHESTRATOR_CONNECTION_STRING"] = await _cluster.NewDatabaseAsync(),
        };
        using var workspace = new TemporaryDirectory();
        await using var worker = HeadlessWorkerProcess.Start(workspace.Path, environment, "--specialist", "implementer", "--agent-id", "worker-pg", "--poll-interval", "10m", "--exec", "echo done");
        await using var client = await ServerProcess.StartInitializedAsync(environment, Token, "--workspace", workspace.Path, "--log-level", "warning", "--no-supervisor");

        // The worker's idle waits start at 200 ms and double (0.2 + 0.4 + ... + 6.4 = 12.7 s): 14 s in, it
        // is in a 12.8 s wait that its poll ends only about 25 s in.
        await Task.Delay(TimeSpan.FromSeconds(14), Token);
        var planned = Stopwatch.StartNew();
        var plan = await client.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "wake up", ["specialist_type"] = "implementer" }, Token);
        var taskId = plan["structuredContent"]!["task_id"]!.GetValue<string>();

        string status = "pending";
        while (status != "completed" && planned.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, Token);
            var query = await client.CallToolAsync("orchestrator_query_tasks", new JsonObject { ["status"] = new JsonArray("completed") }, Token);
            status = query["structuredContent"]!["tasks"]!.AsArray().Any(t => t!["task_id"]!.GetValue<string>() == taskId) ? "completed" : status;
        }

        status.ShouldBe("completed", worker.Stderr);
        planned.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), $"claimed only after {planned.Elapsed.TotalSeconds:0.0} s: the worker was not woken by the notification\n{worker.Stderr}");
    }
}
