using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.Tools;

/// <summary>Claims: the hand-out order, the filters, leases with heartbeats, and fencing of stale holders.</summary>
public sealed class ClaimToolsTests
{
    private const int TaskClaimerCap = TaskOrchestrator.Core.Tasks.Claims.TaskClaimer.OpenWorkCountCap;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimNext_NothingReadyForTheAgentAmongMoreThanTheCountCap_SaysTheCapOrMore()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        for (int planned = 0; planned <= TaskClaimerCap;)
        {
            var batch = Math.Min(500, TaskClaimerCap + 1 - planned);
            await server.PlanAsync(new
            {
                title = $"Research batch from {planned}",
                task_type = "research",
                specialist_type = "researcher",
                subtasks = Enumerable.Range(0, batch - 1).Select(i => new { title = $"Research {planned + i}", task_type = "research", specialist_type = "researcher" }).ToArray(),
            });
            planned += batch;
        }

        var none = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "tester-1", specialist_types = new[] { "tester" } });

        none.Bool("claimed").ShouldBeFalse();
        (none.Int("pending_tasks"), none.Int("in_progress_tasks")).ShouldBe((1000L, 0L));
        none.Str("message").ShouldBe("No task is ready for you: 1000 or more pending tasks wait for dependencies, open subtasks or other roles, and nothing is in progress. Check orchestrator_get_status for what blocks them.");
    }

    [Fact]
    public async Task ClaimNext_ReadyTasks_HandedOutByPriorityThenComplexityThenAgeSkippingUnreadyWorkAndOpenParents()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        var plan = await server.PlanAsync(new
        {
            title = "Parent with open subtasks",
            priority = "critical",
            subtasks = new object[]
            {
                new { key = "old-medium", title = "Old medium", priority = "medium" },
                new { key = "high-complex", title = "High complex", priority = "high", complexity = "complex" },
                new { key = "high-simple", title = "High simple", priority = "high", complexity = "simple" },
                new { key = "waiting", title = "Waiting critical", priority = "critical", dependencies = new[] { "old-medium" } },
                new { key = "new-medium", title = "New medium", priority = "medium" },
            },
        });

        var titles = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            var claim = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = $"agent-{i}" });
            claim.Bool("claimed").ShouldBeTrue();
            titles.Add(claim.Str("execution.task.title")!);
            claim.Str("execution.task.status").ShouldBe("in_progress");
            claim.Str("execution.task.assigned_agent").ShouldBe($"agent-{i}");
            claim.Int("execution.lease.fence").ShouldBe(1);
            claim.Time("execution.lease.lease_expires_at").ShouldBe(server.Clock.GetUtcNow() + TimeSpan.FromSeconds(900));
        }

        // The critical task waits for old-medium, and the critical parent for its subtasks.
        titles.ShouldBe(["High simple", "High complex", "Old medium", "New medium"]);
        var none = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "agent-9" });
        none.Bool("claimed").ShouldBeFalse();
        none.IsNull("execution").ShouldBeTrue();
        (none.Int("pending_tasks"), none.Int("in_progress_tasks")).ShouldBe((2L, 4L));
        none.Str("message").ShouldBe("No task is ready for you now; 4 tasks in progress may make more ready: try again in a while.");
        plan.Str("task_id").ShouldNotBeNull();
    }

    [Fact]
    public async Task ClaimNext_Filters_TakeOnlyTheRolesTypesAndSubtreeAskedFor()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        var tree = await server.PlanAsync(new { title = "Tree", subtasks = new object[] { new { title = "Tree test", task_type = "testing" }, new { title = "Tree docs", task_type = "documentation" } } });
        await server.PlanIdAsync(new { title = "Outside test", task_type = "testing", priority = "critical" });
        await server.PlanIdAsync(new { title = "Research", task_type = "research", specialist_type = "researcher" });

        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "a", parent_task_id = tree.Str("task_id"), task_types = new[] { "testing" } }))
            .Str("execution.task.title").ShouldBe("Tree test");
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "b", specialist_types = new[] { "researcher" } }))
            .Str("execution.task.title").ShouldBe("Research");
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "c", task_types = new[] { "documentation", "deployment" } }))
            .Str("execution.task.title").ShouldBe("Tree docs");
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "d", parent_task_id = tree.Str("task_id") })).Bool("claimed").ShouldBeFalse();
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "e" })).Str("execution.task.title").ShouldBe("Outside test");
    }

    [Fact]
    public async Task ClaimNext_ThirtyTwoAgentsAtOnce_ClaimEveryTaskExactlyOnce()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        const int tasks = 200;
        await server.PlanAsync(new { title = "Batch", subtasks = Enumerable.Range(0, tasks).Select(i => new { title = $"Item {i}" }).ToArray() });
        var claimed = new ConcurrentDictionary<string, string>();
        var duplicates = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 32).Select(agent => Task.Run(async () =>
        {
            while (true)
            {
                var claim = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = $"agent-{agent}" });
                if (!claim.Bool("claimed"))
                {
                    return;
                }

                var id = claim.Str("execution.task.task_id")!;
                if (!claimed.TryAdd(id, $"agent-{agent}"))
                {
                    duplicates.Add(id);
                }

                await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "done", lease_token = claim.Str("execution.lease.lease_token") });
            }
        })));

        duplicates.ShouldBeEmpty();
        claimed.Count.ShouldBe(tasks + 1); // the parent too, once its subtasks were done
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM task WHERE status = 'completed'").ShouldBe((tasks + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM event WHERE kind = 'status_changed' AND to_state = 'in_progress'").ShouldBe((tasks + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SilentAgent_LosesTheTaskWhenItsLeaseEnds_ItsLateReportIsRefusedAndTheNewHolderFinishesIt()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        var id = await server.PlanIdAsync(new { title = "Contested" });
        var first = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "slow-agent", lease_seconds = 30 });
        var staleToken = first.Str("execution.lease.lease_token");

        server.Clock.Advance(TimeSpan.FromSeconds(31));
        var second = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "fast-agent" });

        second.Str("execution.task.task_id").ShouldBe(id);
        second.Int("execution.lease.fence").ShouldBe(2);
        StoreSnapshot.Value(server.DatabasePath, $"SELECT json_extract(data_json, '$.released_from_agent') || '|' || json_extract(data_json, '$.cause') FROM event WHERE task_id = '{id}' AND kind = 'status_changed' AND to_state = 'pending'")
            .ShouldBe("slow-agent|lease_expired");
        var before = server.Snapshot();

        var late = await server.ErrorAsync("orchestrator_complete_task", new { task_id = id, summary = "late", agent_id = "slow-agent", lease_token = staleToken });
        var heartbeat = await server.ErrorAsync("orchestrator_heartbeat", new { task_id = id, lease_token = staleToken });

        late.Str("code").ShouldBe("lease_lost");
        late.Str("field").ShouldBe("lease_token");
        late.Str("message")!.ShouldContain("(claim #1)");
        late.Str("message")!.ShouldContain("it is held now by agent 'fast-agent' (claim #2");
        (late.Str("details.held_by"), late.Int("details.fence")).ShouldBe(("fast-agent", 2L));
        heartbeat.Str("code").ShouldBe("lease_lost");
        server.Snapshot().ShouldBe(before);
        var done = await server.OkAsync("orchestrator_complete_task", new { task_id = id, summary = "done by the new holder", agent_id = "fast-agent", lease_token = second.Str("execution.lease.lease_token") });
        done.Str("task.status").ShouldBe("completed");
        done.Str("task.result_summary").ShouldBe("done by the new holder");
    }

    [Fact]
    public async Task Heartbeat_RenewsTheLeaseFromNow_SoThatTheTaskIsNotTakenBack()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await server.PlanIdAsync(new { title = "Long work" });
        var claim = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "steady", lease_seconds = 30 });
        var token = claim.Str("execution.lease.lease_token");

        server.Clock.Advance(TimeSpan.FromSeconds(20));
        var beat = await server.OkAsync("orchestrator_heartbeat", new { task_id = claim.Str("execution.task.task_id"), lease_token = token });
        server.Clock.Advance(TimeSpan.FromSeconds(20));

        beat.Time("lease.lease_expires_at").ShouldBe(server.Clock.GetUtcNow() + TimeSpan.FromSeconds(10));
        (beat.Str("agent_id"), beat.Int("lease.fence"), beat.Int("lease.lease_seconds"), beat.Str("lease.lease_token")).ShouldBe(("steady", 1L, 30L, token));
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "other" })).Bool("claimed").ShouldBeFalse();
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM event WHERE kind = 'lease_renewed'").ShouldBe("1");
    }

    [Fact]
    public async Task Release_PutsTheTaskBackWithTheReason_AndTheReleasedTokenStopsWorking()
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        var id = await server.PlanIdAsync(new { title = "Too hard" });
        var token = (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "quitter" })).Str("execution.lease.lease_token");

        var released = await server.OkAsync("orchestrator_release_task", new { task_id = id, lease_token = token, reason = "needs database access" });

        released.Str("task.status").ShouldBe("pending");
        released.Str("task.status_reason").ShouldBe("released by agent 'quitter': needs database access");
        released.IsNull("task.assigned_agent").ShouldBeTrue();
        (released.Str("released_from_agent"), released.Int("fence")).ShouldBe(("quitter", 1L));
        (await server.ErrorAsync("orchestrator_release_task", new { task_id = id, lease_token = token })).Str("code").ShouldBe("lease_lost");
        (await server.ErrorAsync("orchestrator_update_task", new { task_id = id, title = "renamed", lease_token = token })).Str("message")!
            .ShouldContain("nobody holds it now: it is 'pending' (released by agent 'quitter': needs database access)");
        (await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "next" })).Int("execution.lease.fence").ShouldBe(2);
    }

    [Theory]
    [InlineData("""{"agent_id":""}""", "missing_argument", "agent_id")]
    [InlineData("""{"agent_id":"a","lease_seconds":9}""", "invalid_argument", "lease_seconds")]
    [InlineData("""{"agent_id":"a","lease_seconds":86401}""", "invalid_argument", "lease_seconds")]
    [InlineData("""{"agent_id":"a","specialist_types":["astronaut"]}""", "invalid_argument", "specialist_types[0]")]
    [InlineData("""{"agent_id":"a","parent_task_id":"task_missing"}""", "not_found", "parent_task_id")]
    [InlineData("""{"agent_id":"a","task_types":["chores"]}""", "invalid_argument", "task_types[0]")]
    public async Task ClaimNext_BadInput_IsRefusedAndNothingIsClaimed(string arguments, string code, string field)
    {
        await using var server = await OrchestratorServer.StartAsync(Ct);
        await server.PlanIdAsync(new { title = "Untouched" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_claim_next_task", System.Text.Json.JsonDocument.Parse(arguments).RootElement);

        (error.Str("code"), error.Str("field")).ShouldBe((code, field));
        server.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task ClaimNext_AnotherProcessHoldsTheWriteLockPastTheBusyTimeout_EveryWaitingClaimFailsAsStoreBusyAndNothingIsClaimed()
    {
        await using var server = await OrchestratorServer.StartAsync(
            services => services.PostConfigure<SqliteStoreOptions>(o => o.BusyTimeout = TimeSpan.FromMilliseconds(300)), Ct);
        var id = await server.PlanIdAsync(new { title = "Only task" });
        var before = server.Snapshot();

        using (var otherProcess = new SqliteConnection($"Data Source={server.DatabasePath};Pooling=False"))
        {
            otherProcess.Open();
            using var begin = otherProcess.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();

            // Bounded: a claim left waiting in the queue would otherwise hang the test instead of failing it.
            var errors = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => server.ErrorAsync("orchestrator_claim_next_task", new { agent_id = $"agent-{i}" })))
                .WaitAsync(TimeSpan.FromSeconds(15), Ct);

            errors.Select(e => e.Str("code")).ShouldBe(["store_busy", "store_busy", "store_busy"]);
        }

        server.Snapshot().ShouldBe(before);
        var claim = await server.OkAsync("orchestrator_claim_next_task", new { agent_id = "agent-3" });
        (claim.Str("execution.task.task_id"), claim.Int("execution.lease.fence")).ShouldBe((id, 1L));
    }
}
