using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class SynthesizeResultsTests
{
    [Fact]
    public async Task SynthesizeResults_MixedSubtree_ReportsCountsRatesOutcomesRemainingAndTimeline()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new
        {
            title = "Release 1.0",
            description = "Everything for the release.",
            subtasks = new object[]
            {
                new { title = "Changelog", task_type = "documentation" },
                new { title = "Build", subtasks = new object[] { new { title = "Compile" } } },
                new { title = "Dropped" },
                new { title = "Open" },
            },
        });
        var root = plan.Str("task_id")!;
        var ids = plan.Pluck("subtasks", "task_id"); // Changelog, Build, Compile, Dropped, Open
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await server.ExecuteAsync(ids[0]);
        var changelog = await server.OkAsync("orchestrator_complete_task", new { task_id = ids[0], summary = "changelog written", detailed_work = "## 1.0", artifact_type = "documentation" });
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var compile = await server.FinishAsync(ids[2], "compiled", "ok");
        await server.OkAsync("orchestrator_cancel_task", new { task_id = ids[3], reason = "not needed" });

        var answer = await server.CallAsync("orchestrator_synthesize_results", new { parent_task_id = root });

        var result = answer.Ok();
        result.Str("parent.task_id").ShouldBe(root);
        result.Int("total_subtasks").ShouldBe(5);
        result.Int("status_counts.completed").ShouldBe(2);
        result.Int("status_counts.cancelled").ShouldBe(1);
        result.Int("status_counts.pending").ShouldBe(2);
        result.Int("status_counts.in_progress").ShouldBe(0);
        result.Num("success_rate").ShouldBe(0.6667);
        result.Num("completion_rate").ShouldBe(0.4);
        result.Pluck("artifacts", "artifact_id").ShouldBe([changelog.Str("artifact.artifact_id")!, compile.Str("artifact.artifact_id")!], ignoreOrder: true);
        result.Items("artifacts").ShouldAllBe(a => a.IsNull("content"));
        result.Pluck("key_outcomes", "task_id").ShouldBe([ids[0], ids[2]]);
        result.Str("key_outcomes.0.summary").ShouldBe("changelog written");
        result.Str("key_outcomes.0.specialist_type").ShouldBe("documenter");
        result.Strs("key_outcomes.0.artifact_ids").ShouldBe([changelog.Str("artifact.artifact_id")!]);
        result.Pluck("remaining", "task_id").ShouldBe([ids[1], ids[4]]);
        result.Bool("timeline_truncated").ShouldBeFalse();
        var timeline = result.Items("timeline");
        timeline.Length.ShouldBe(int.Parse(StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM event WHERE task_id IS NOT NULL")!, System.Globalization.CultureInfo.InvariantCulture));
        timeline.Select(e => e.Int("sequence")).ShouldBeInOrder();
        timeline[0].Str("kind").ShouldBe("task_created");
        timeline[0].Str("task_id").ShouldBe(root);
        var markdown = result.Str("report_markdown")!;
        markdown.ShouldStartWith($"# Synthesis: Release 1.0\n\nTask `{root}` · status **pending** · generated ");
        markdown.ShouldContain("Everything for the release.");
        markdown.ShouldContain("- Subtasks: 5\n");
        markdown.ShouldContain("### Changelog");
        markdown.ShouldContain($"## Remaining work\n\n- [pending] Build (`{ids[1]}`)\n- [pending] Open (`{ids[4]}`)\n");
        answer.Text.ShouldStartWith($"Synthesis of {root} 'Release 1.0': 2/5 subtasks completed, success rate 66.7%, 2 artifacts, 2 still open.");
    }

    [Fact]
    public async Task SynthesizeResults_NoSubtaskEnded_HasNullSuccessRate()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Fresh", subtasks = new object[] { new { title = "A" } } });

        var result = await server.OkAsync("orchestrator_synthesize_results", new { parent_task_id = plan.Str("task_id") });

        result.IsNull("success_rate").ShouldBeTrue();
        result.Num("completion_rate").ShouldBe(0);
        result.Items("key_outcomes").ShouldBeEmpty();
        result.Str("report_markdown")!.ShouldContain("No task of this subtree has completed yet.");
    }

    [Fact]
    public async Task SynthesizeResults_ReadOnly_ChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var plan = await server.PlanAsync(new { title = "Root", subtasks = new object[] { new { title = "A" } } });
        await server.FinishAsync(plan.Str("subtasks.0.task_id")!);
        var before = server.Snapshot();

        await server.OkAsync("orchestrator_synthesize_results", new { parent_task_id = plan.Str("task_id") });

        server.Snapshot().ShouldBe(before);
    }
}
