using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

/// <summary>Calls sent at once on one connection: the store must serialize them so exactly one wins.</summary>
public sealed class ConcurrentCallsTests
{
    [Fact]
    public async Task ExecuteTask_EightAgentsAtOnce_ExactlyOneStartsItAndTheOthersSeeTaskHeld()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Contended" });

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => server.CallAsync("orchestrator_execute_task", new { task_id = id, agent_id = $"agent-{i}" })));

        var winners = answers.Where(a => !a.IsError).ToArray();
        winners.Length.ShouldBe(1);
        answers.Where(a => a.IsError).ShouldAllBe(a => a.Structured.Str("error.code") == "task_held" && a.Structured.Str("error.details.held_by") == winners[0].Structured.Str("task.assigned_agent"));
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(*) FROM event WHERE task_id = '{id}' AND kind = 'status_changed'").ShouldBe("1");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT version FROM task WHERE id = '{id}'").ShouldBe("2");
    }

    [Fact]
    public async Task CompleteTask_SameIdempotencyKeySentFourTimesAtOnce_StoresOneArtifactAndAnswersAllAlike()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Report once" });
        await server.ExecuteAsync(id);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.CallAsync("orchestrator_complete_task", new { task_id = id, summary = "done", detailed_work = "w", idempotency_key = "same" })));

        answers.ShouldAllBe(a => !a.IsError);
        answers.Select(a => a.Structured.GetRawText()).Distinct().Count().ShouldBe(1);
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM artifact").ShouldBe("1");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM idempotency").ShouldBe("1");
    }

    [Fact]
    public async Task UpdateTask_TwoWritersWithTheSameExpectedVersionAtOnce_OneAppliesAndTheOtherGetsVersionConflict()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var id = await server.PlanIdAsync(new { title = "Shared" });

        var answers = await Task.WhenAll(
            server.CallAsync("orchestrator_update_task", new { task_id = id, expected_version = 1, title = "Writer A" }),
            server.CallAsync("orchestrator_update_task", new { task_id = id, expected_version = 1, title = "Writer B" }));

        answers.Count(a => !a.IsError).ShouldBe(1);
        var loser = answers.Single(a => a.IsError);
        loser.Structured.Str("error.code").ShouldBe("version_conflict");
        loser.Structured.Int("error.details.current_version").ShouldBe(2);
        (await server.GetTaskAsync(id)).Str("title").ShouldBe(answers.Single(a => !a.IsError).Structured.Str("task.title"));
    }
}
