using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed class CleanupSessionsTests
{
    [Fact]
    public async Task CleanupSessions_Inactive_ArchivesIdleSessionsAndLeavesTheirTasksAlone()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var s = await SessionsAsync(server);

        var result = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "inactive", older_than_days = 30 });

        result.Str("cleanup_type").ShouldBe("inactive");
        result.Int("older_than_days").ShouldBe(30);
        result.Bool("dry_run").ShouldBeFalse();
        result.Pluck("sessions", "session_id").ShouldBe([s.Empty, s.Finished, s.Open], ignoreOrder: true);
        result.Items("sessions").ShouldAllBe(i => i.Str("rule") == "inactive" && i.Str("action") == "archived" && i.Int("tasks_archived") == 0);
        result.Int("sessions_archived").ShouldBe(3);
        result.Int("sessions_deleted").ShouldBe(0);
        result.Int("tasks_archived").ShouldBe(0);
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(name || ':' || status) FROM (SELECT * FROM session ORDER BY name)").ShouldBe("empty:archived,finished:archived,open:archived,recent:active");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM task WHERE status = 'archived'").ShouldBe("0");
    }

    [Fact]
    public async Task CleanupSessions_Completed_ArchivesSessionsWhoseTasksAllEndedTogetherWithThoseTasks()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var s = await SessionsAsync(server);

        var result = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "completed", older_than_days = 30 });

        var item = result.Items("sessions").Single();
        item.Str("session_id").ShouldBe(s.Finished);
        item.Str("name").ShouldBe("finished");
        item.Str("rule").ShouldBe("completed");
        item.Str("action").ShouldBe("archived_with_tasks");
        item.Int("task_count").ShouldBe(2);
        item.Int("tasks_archived").ShouldBe(2);
        result.Int("sessions_archived").ShouldBe(1);
        result.Int("tasks_archived").ShouldBe(2);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT group_concat(DISTINCT status) FROM task WHERE session_id = '{s.Finished}'").ShouldBe("archived");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT status FROM session WHERE id = '{s.Finished}'").ShouldBe("archived");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT status FROM session WHERE id = '{s.Open}'").ShouldBe("active");
    }

    [Fact]
    public async Task CleanupSessions_Empty_DeletesSessionsThatNeverPlannedATask()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var s = await SessionsAsync(server);

        var result = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "empty", older_than_days = 30 });

        result.Pluck("sessions", "session_id").ShouldBe([s.Empty]);
        result.Str("sessions.0.action").ShouldBe("deleted");
        result.Str("sessions.0.rule").ShouldBe("empty");
        result.Int("sessions_deleted").ShouldBe(1);
        result.Int("sessions_archived").ShouldBe(0);
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM session").ShouldBe("3");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT json_extract(data_json, '$.session_id') FROM event WHERE kind = 'session_deleted'").ShouldBe(s.Empty);
    }

    [Fact]
    public async Task CleanupSessions_All_AppliesEachSessionsFirstMatchingRule()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var s = await SessionsAsync(server);

        var result = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "all", older_than_days = 30 });

        var byId = result.Items("sessions").ToDictionary(i => i.Str("session_id")!, i => $"{i.Str("rule")}/{i.Str("action")}");
        byId.Count.ShouldBe(3);
        byId[s.Empty].ShouldBe("empty/deleted");
        byId[s.Finished].ShouldBe("completed/archived_with_tasks");
        byId[s.Open].ShouldBe("inactive/archived");
        result.Int("sessions_archived").ShouldBe(2);
        result.Int("sessions_deleted").ShouldBe(1);
        result.Int("tasks_archived").ShouldBe(2);
        StoreSnapshot.Value(server.DatabasePath, "SELECT group_concat(name || ':' || status) FROM (SELECT * FROM session ORDER BY name)").ShouldBe("finished:archived,open:archived,recent:active");
    }

    [Theory]
    [InlineData("inactive")]
    [InlineData("completed")]
    [InlineData("empty")]
    [InlineData("all")]
    public async Task CleanupSessions_DryRun_ReportsTheSameSessionsButChangesNothing(string cleanupType)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await SessionsAsync(server);
        var before = server.Snapshot();

        var dry = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = cleanupType, older_than_days = 30, dry_run = true });

        server.Snapshot().ShouldBe(before);
        dry.Bool("dry_run").ShouldBeTrue();
        var real = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = cleanupType, older_than_days = 30 });
        dry.Pluck("sessions", "session_id").ShouldBe(real.Pluck("sessions", "session_id"));
        dry.Pluck("sessions", "action").ShouldBe(real.Pluck("sessions", "action"));
        dry.Int("sessions_archived").ShouldBe(real.Int("sessions_archived"));
        dry.Int("sessions_deleted").ShouldBe(real.Int("sessions_deleted"));
        dry.Int("tasks_archived").ShouldBe(real.Int("tasks_archived"));
    }

    [Fact]
    public async Task CleanupSessions_DefaultArguments_ArchivesSessionsIdleForThirtyDays()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var s = await SessionsAsync(server);

        var result = await server.OkAsync("orchestrator_cleanup_sessions");

        result.Str("cleanup_type").ShouldBe("inactive");
        result.Int("older_than_days").ShouldBe(30);
        result.Pluck("sessions", "session_id").ShouldNotContain(s.Recent);
        result.Items("sessions").Length.ShouldBe(3);
    }

    [Fact]
    public async Task CleanupSessions_OlderThanMoreDaysThanAnySessionIsIdle_ChangesNothing()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await SessionsAsync(server);
        var before = server.Snapshot();

        var result = await server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "all", older_than_days = 3650 });

        result.Items("sessions").ShouldBeEmpty();
        server.Snapshot().ShouldBe(before);
    }

    private sealed record Sessions(string Empty, string Finished, string Open, string Recent);

    /// <summary>
    /// Three sessions idle for 40 days (empty, one whose tasks all ended, one with an open task) and
    /// one active yesterday.
    /// </summary>
    private static async Task<Sessions> SessionsAsync(OrchestratorServer server)
    {
        var empty = (await server.InitializeAsync("empty")).Str("session_id")!;
        var finished = (await server.InitializeAsync("finished")).Str("session_id")!;
        var open = (await server.InitializeAsync("open")).Str("session_id")!;
        var done = await server.PlanIdAsync(new { title = "Done", session_id = finished });
        var dropped = await server.PlanIdAsync(new { title = "Dropped", session_id = finished });
        await server.FinishAsync(done);
        await server.OkAsync("orchestrator_cancel_task", new { task_id = dropped });
        await server.PlanIdAsync(new { title = "Still open", session_id = open });
        server.Clock.Advance(TimeSpan.FromDays(39));
        var recent = (await server.InitializeAsync("recent")).Str("session_id")!;
        server.Clock.Advance(TimeSpan.FromDays(1));
        return new Sessions(empty, finished, open, recent);
    }
}
