using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary>Several server processes on one workspace, as several agent windows on one repository.</summary>
public sealed class ConcurrentProcessesTests
{
    private const int Processes = 4;
    private const int RoundsPerProcess = 25;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FourProcesses_CreateAndUpdateConcurrently_NoLostUpdateNoBusyErrorEveryAcknowledgedTaskPresent()
    {
        using var workspace = new TemporaryDirectory();
        string counterId;
        await using (var setup = await ServerProcess.StartInitializedAsync(workspace.Path, Token))
        {
            var counter = await setup.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "sharedcounter", ["context"] = new JsonObject { ["count"] = 0 } }, Token);
            counterId = counter["structuredContent"]!["task_id"]!.GetValue<string>();
        }

        var servers = await Task.WhenAll(Enumerable.Range(0, Processes).Select(_ => ServerProcess.StartInitializedAsync(workspace.Path, Token)));
        var acknowledged = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        int conflicts = 0;
        try
        {
            await Task.WhenAll(servers.Select((server, p) => Task.Run(async () =>
            {
                for (int round = 0; round < RoundsPerProcess; round++)
                {
                    var created = await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = $"process {p} round {round}" }, Token);
                    if (created["isError"]?.GetValue<bool>() == true)
                    {
                        unexpected.Add(created.ToJsonString());
                    }
                    else
                    {
                        acknowledged.Add(created["structuredContent"]!["task_id"]!.GetValue<string>());
                    }

                    // Read-modify-write with optimistic concurrency: retried on conflict, never lost.
                    while (true)
                    {
                        var read = await server.CallToolAsync("orchestrator_query_tasks", new JsonObject { ["search_text"] = "sharedcounter" }, Token);
                        var task = read["structuredContent"]!["tasks"]![0]!;
                        var count = task["context"]!["count"]!.GetValue<int>();
                        var update = await server.CallToolAsync("orchestrator_update_task", new JsonObject
                        {
                            ["task_id"] = counterId,
                            ["expected_version"] = task["version"]!.GetValue<long>(),
                            ["context"] = new JsonObject { ["count"] = count + 1 },
                        }, Token);
                        if (update["isError"]?.GetValue<bool>() != true)
                        {
                            break;
                        }

                        var code = update["structuredContent"]!["error"]!["code"]!.GetValue<string>();
                        if (code != "version_conflict")
                        {
                            unexpected.Add(update.ToJsonString());
                            break;
                        }

                        Interlocked.Increment(ref conflicts);
                    }
                }
            }, Token)));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }

        unexpected.ShouldBeEmpty();
        using var db = WorkspaceDatabase.Open(workspace.Path);
        var stored = WorkspaceDatabase.Column(db, "SELECT id FROM task").ToHashSet();
        acknowledged.Count.ShouldBe(Processes * RoundsPerProcess);
        acknowledged.Where(id => !stored.Contains(id)).ShouldBeEmpty();
        stored.Count.ShouldBe(Processes * RoundsPerProcess + 1);
        WorkspaceDatabase.Column(db, $"SELECT json_extract(context_json, '$.count') FROM task WHERE id = '{counterId}'").ShouldBe([(Processes * RoundsPerProcess).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        WorkspaceDatabase.Column(db, "PRAGMA integrity_check").ShouldBe(["ok"]);
        TestContext.Current.SendDiagnosticMessage($"{conflicts} version conflicts were retried");
    }
}
