using System.Text.Json;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class SessionToolsTests
{
    [Fact]
    public async Task ListSessions_SeveralSessions_ListsMostRecentlyActiveFirstWithTaskCounts()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var (old, alpha, beta) = await ThreeSessionsAsync(server);

        var result = await server.OkAsync("orchestrator_list_sessions");

        result.Pluck("sessions", "session_id").ShouldBe([alpha, beta, old]);
        result.Pluck("sessions", "name").ShouldBe(["alpha", "beta", "old"]);
        result.Pluck("sessions", "status").ShouldBe(["active", "active", "archived"]);
        result.Int("total_count").ShouldBe(3);
        result.Bool("has_more").ShouldBeFalse();
        result.IsNull("next_offset").ShouldBeTrue();
        result.Str("workspace.root").ShouldBe(server.Workspace);
        var first = result.Items("sessions")[0];
        first.Int("total_tasks").ShouldBe(2);
        first.Int("completed_tasks").ShouldBe(1);
        first.Int("progress_percent").ShouldBe(50);
        first.Int("task_counts.pending").ShouldBe(1);
        first.Int("task_counts.completed").ShouldBe(1);
        first.Int("task_counts.blocked").ShouldBe(0);
        first.Str("client_info").ShouldBe("mcp-tests 1.0");
        first.Time("created_at").ShouldBe(new DateTimeOffset(2026, 12, 1, 9, 1, 0, TimeSpan.Zero));
        first.Bool("is_current").ShouldBeTrue();
        result.Items("sessions").Skip(1).ShouldAllBe(x => !x.Bool("is_current"));
        first.Time("last_activity_at").ShouldBe(new DateTimeOffset(2026, 12, 1, 9, 2, 0, TimeSpan.Zero));
        result.Items("sessions")[1].Int("progress_percent").ShouldBe(0);
    }

    [Theory]
    [InlineData("active", new[] { "alpha", "beta" })]
    [InlineData("archived", new[] { "old" })]
    [InlineData("all", new[] { "alpha", "beta", "old" })]
    public async Task ListSessions_StatusFilter_ListsOnlyThoseSessions(string status, string[] names)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await ThreeSessionsAsync(server);

        var result = await server.OkAsync("orchestrator_list_sessions", new { status });

        result.Pluck("sessions", "name").ShouldBe(names);
        result.Int("total_count").ShouldBe(names.Length);
    }

    [Fact]
    public async Task ListSessions_LimitAndOffset_PagesThroughSessions()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await ThreeSessionsAsync(server);

        var middle = await server.OkAsync("orchestrator_list_sessions", new { limit = 1, offset = 1 });
        var last = await server.OkAsync("orchestrator_list_sessions", new { limit = 2, offset = 2 });

        middle.Pluck("sessions", "name").ShouldBe(["beta"]);
        middle.Bool("has_more").ShouldBeTrue();
        middle.Int("next_offset").ShouldBe(2);
        last.Pluck("sessions", "name").ShouldBe(["old"]);
        last.Bool("has_more").ShouldBeFalse();
        last.IsNull("next_offset").ShouldBeTrue();
        last.Int("total_count").ShouldBe(3);
    }

    [Fact]
    public async Task ResumeSession_ArchivedSession_ReactivatesItAndSaysWhatToDoNext()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var (old, _, _) = await ThreeSessionsAsync(server);

        var answer = await server.CallAsync("orchestrator_resume_session", new { session_id = old });

        var result = answer.Ok();
        result.Bool("reactivated").ShouldBeTrue();
        result.Str("progress.session.session_id").ShouldBe(old);
        result.Str("progress.session.status").ShouldBe("active");
        result.Bool("progress.session.is_current").ShouldBeTrue();
        result.Time("progress.session.last_activity_at").ShouldBe(server.Clock.GetUtcNow());
        result.Strs("next_steps").ShouldBe(["Plan the work with orchestrator_plan_task."]);
        result.Str("guidance")!.ShouldStartWith("# Working with TaskOrchestrator");
        result.Str("workspace.root").ShouldBe(server.Workspace);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT status FROM session WHERE id = '{old}'").ShouldBe("active");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT json_extract(data_json, '$.reactivated') FROM event WHERE kind = 'session_resumed' AND session_id = '{old}'").ShouldBe("1");
        answer.Text.ShouldBe($"Resumed session {old} 'old': 0 in progress, 0 ready, 0 blocked, 0 waiting.");
    }

    [Fact]
    public async Task ResumeSession_SessionWithWork_ListsWhatIsInProgressReadyBlockedAndWaiting()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = (await server.InitializeAsync("work")).Str("session_id")!;
        var w = await SessionWorkAsync(server, session);

        var result = await server.OkAsync("orchestrator_resume_session", new { session_id = session });

        result.Bool("reactivated").ShouldBeFalse();
        var progress = result.At("progress");
        progress.Pluck("in_progress", "task_id").ShouldBe([w.Busy]);
        progress.Int("in_progress_total").ShouldBe(1);
        progress.Pluck("ready", "task_id").ShouldBe([w.Ready]);
        progress.Pluck("blocked", "task.task_id").ShouldBe([w.Blocked]);
        progress.Str("blocked.0.reason").ShouldBe("waiting for design review");
        progress.Pluck("waiting", "task.task_id").ShouldBe([w.Waiting]);
        progress.Pluck("waiting.0.waiting_for", "task_id").ShouldBe([w.Ready]);
        progress.Pluck("recently_completed", "task_id").ShouldBe([w.Done]);
        progress.Int("session.total_tasks").ShouldBe(5);
        progress.Int("session.progress_percent").ShouldBe(20);
        result.Strs("next_steps").ShouldBe(
        [
            $"Finish or release the 1 tasks in progress (first: {w.Busy} 'Busy'), reporting each with orchestrator_complete_task.",
            $"Start the next ready task with orchestrator_execute_task: {w.Ready} 'Ready' (1 ready in all).",
            "Resolve 1 blocked tasks, then unblock them with orchestrator_update_task status='pending'.",
        ]);
    }

    [Fact]
    public async Task SessionStatus_SessionId_ReportsProgressAndRecentEventsNewestFirstWithoutChangingAnything()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = (await server.InitializeAsync("work")).Str("session_id")!;
        var w = await SessionWorkAsync(server, session);
        var before = server.Snapshot();

        var answer = await server.CallAsync("orchestrator_session_status", new { session_id = session });

        var result = answer.Ok();
        var progress = result.At("progress");
        progress.Str("session.session_id").ShouldBe(session);
        progress.Str("session.name").ShouldBe("work");
        progress.Int("session.task_counts.pending").ShouldBe(2);
        progress.Int("session.task_counts.in_progress").ShouldBe(1);
        progress.Int("session.task_counts.blocked").ShouldBe(1);
        progress.Int("session.task_counts.completed").ShouldBe(1);
        progress.Pluck("in_progress", "task_id").ShouldBe([w.Busy]);
        progress.Pluck("ready", "task_id").ShouldBe([w.Ready]);
        progress.Pluck("blocked", "task.task_id").ShouldBe([w.Blocked]);
        progress.Pluck("waiting", "task.task_id").ShouldBe([w.Waiting]);
        progress.Pluck("recently_completed", "task_id").ShouldBe([w.Done]);
        var events = progress.Items("recent_events");
        events.Select(e => e.Int("sequence")).ShouldBeInOrder(SortDirection.Descending);
        events.ShouldAllBe(e => e.Str("session_id") == session);
        events[^1].Str("kind").ShouldBe("session_created");
        result.Str("workspace.root").ShouldBe(server.Workspace);
        answer.Text.ShouldBe($"Session {session} 'work' (active): 1 of 5 tasks completed (20%), 1 in progress, 1 ready, 1 blocked.");
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task SessionStatus_NoSessionIdAfterInitialize_ReportsTheCurrentSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var session = (await server.InitializeAsync("current")).Str("session_id")!;

        var result = await server.OkAsync("orchestrator_session_status");

        result.Str("progress.session.session_id").ShouldBe(session);
        result.Bool("progress.session.is_current").ShouldBeTrue();
    }

    [Fact]
    public async Task ResumeSession_ThenPlanWithoutSessionId_PlansIntoTheResumedSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var first = (await server.InitializeAsync("first")).Str("session_id")!;
        await server.InitializeAsync("second");
        await server.OkAsync("orchestrator_resume_session", new { session_id = first });

        var plan = await server.PlanAsync(new { title = "Back to the first" });
        var listed = await server.OkAsync("orchestrator_list_sessions");

        plan.Str("task.session_id").ShouldBe(first);
        listed.Items("sessions").Single(s => s.Bool("is_current")).Str("session_id").ShouldBe(first);
    }

    /// <summary>
    /// Three sessions: "old" (archived by an inactivity cleanup), then ten days later "beta" with no task and
    /// "alpha", current on the connection, with two tasks (one completed) and the latest activity.
    /// </summary>
    private static async Task<(string Old, string Alpha, string Beta)> ThreeSessionsAsync(OrchestratorServer server)
    {
        var old = (await server.InitializeAsync("old")).Str("session_id")!;
        server.Clock.Advance(TimeSpan.FromDays(10)); // 2026-12-01 09:00
        var beta = (await server.InitializeAsync("beta")).Str("session_id")!;
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var alpha = (await server.InitializeAsync("alpha")).Str("session_id")!;
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        var done = await server.PlanIdAsync(new { title = "Done", session_id = alpha });
        await server.PlanIdAsync(new { title = "Open", session_id = alpha });
        await server.FinishAsync(done);
        var cleanup = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "inactive", older_than_days = 5 });
        cleanup.Pluck("sessions", "session_id").ShouldBe([old]);
        return (old, alpha, beta);
    }

    private sealed record Work(string Busy, string Ready, string Blocked, string Waiting, string Done);

    private static async Task<Work> SessionWorkAsync(OrchestratorServer server, string session)
    {
        var done = await server.PlanIdAsync(new { title = "Done", session_id = session });
        var busy = await server.PlanIdAsync(new { title = "Busy", session_id = session });
        var ready = await server.PlanIdAsync(new { title = "Ready", session_id = session });
        var blocked = await server.PlanIdAsync(new { title = "Blocked", session_id = session });
        var waiting = await server.PlanIdAsync(new { title = "Waiting", session_id = session, dependencies = new[] { ready } });
        await server.FinishAsync(done);
        await server.ExecuteAsync(busy, "agent-1");
        await server.OkAsync("orchestrator_update_task", new { task_id = blocked, status = "blocked", status_reason = "waiting for design review" });
        return new Work(busy, ready, blocked, waiting, done);
    }
}
