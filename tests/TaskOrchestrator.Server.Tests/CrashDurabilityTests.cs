using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary>A server killed with SIGKILL in the middle of writes loses nothing it acknowledged.</summary>
public sealed class CrashDurabilityTests
{
    private const int Kills = 20;
    private const int WritersInFlight = 6;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SigKill_DuringWrites_EveryAcknowledgedWriteSurvivesAndIntegrityIsOk()
    {
        using var workspace = new TemporaryDirectory();
        var acknowledged = new ConcurrentDictionary<string, string>();
        var random = new Random(20261121);
        for (int kill = 0; kill < Kills; kill++)
        {
            var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token);
            using var stop = new CancellationTokenSource();
            var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writers = Enumerable.Range(0, WritersInFlight).Select(w => Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    var title = $"kill {kill} writer {w} write {i}";
                    JsonObject result;
                    try
                    {
                        result = await server.CallToolAsync("orchestrator_plan_task", new JsonObject
                        {
                            ["title"] = title,
                            ["description"] = new string('x', random.Next(10, 2000)),
                            ["subtasks"] = new JsonArray(new JsonObject { ["title"] = title + " child" }),
                        }, stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException or OperationCanceledException)
                    {
                        return; // killed before it answered: not acknowledged, so no promise was made
                    }

                    acknowledged[result["structuredContent"]!["task_id"]!.GetValue<string>()] = title;
                    writing.TrySetResult();
                }
            })).ToArray();

            // Once writes flow (the handshake is answered before the worker serves), let them flow for a
            // random moment, then pull the plug.
            await writing.Task.WaitAsync(TimeSpan.FromSeconds(30), Token);
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(50, 400)), Token);
            server.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            await server.DisposeAsync();

            using var db = WorkspaceDatabase.Open(workspace.Path);
            var stored = WorkspaceDatabase.Column(db, "SELECT id FROM task").ToHashSet();
            acknowledged.Keys.Where(id => !stored.Contains(id)).ShouldBeEmpty($"after kill {kill + 1}");
            WorkspaceDatabase.Column(db, "PRAGMA integrity_check").ShouldBe(["ok"], $"after kill {kill + 1}");
            WorkspaceDatabase.Column(db, "SELECT count(*) FROM task t WHERE t.parent_id IS NULL AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id)")
                .ShouldBe(["0"], $"every plan committed whole after kill {kill + 1}");
        }

        acknowledged.Count.ShouldBeGreaterThan(Kills);
        TestContext.Current.SendDiagnosticMessage($"{acknowledged.Count} acknowledged plans survived {Kills} kills");
    }
}
