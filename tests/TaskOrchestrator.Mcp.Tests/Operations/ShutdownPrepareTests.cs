using Microsoft.Data.Sqlite;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Operations;

public sealed class ShutdownPrepareTests
{
    [Fact]
    public async Task ShutdownPrepare_Idle_SafeToShutdown()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_shutdown_prepare");

        result.Bool("safe_to_shutdown").ShouldBeTrue();
        result.Items("blocking_issues").ShouldBeEmpty();
        result.Strs("checks_run").ShouldBe(["client_connections", "active_tasks", "database_state"]);
        result.Items("in_flight_calls").ShouldBeEmpty();
        result.Items("active_tasks").ShouldBeEmpty();
        result.Int("database.open_write_units").ShouldBe(0);
        result.Bool("database.write_lock_held").ShouldBeFalse();
        result.IsNull("database.write_lock_holder").ShouldBeTrue();
        result.Int("database.wal_pending_frames").ShouldBe(0);
        result.Str("recommendation").ShouldBe("Safe to shut down now: nothing is in flight, held or unwritten.");
    }

    [Fact]
    public async Task ShutdownPrepare_TaskInProgress_ListsTheTaskItsAgentAndItsHolder()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        var instanceId = (await server.OkAsync("orchestrator_health_check")).Str("server.instance_id");
        var taskId = await server.PlanIdAsync(new { title = "Write the parser" });
        await server.ExecuteAsync(taskId, "agent-7");

        var result = await server.OkAsync("orchestrator_shutdown_prepare");

        result.Bool("safe_to_shutdown").ShouldBeFalse();
        var issue = result.Items("blocking_issues").ShouldHaveSingleItem();
        issue.Str("kind").ShouldBe("tasks_in_progress");
        issue.Int("count").ShouldBe(1);
        issue.Str("message").ShouldBe($"1 task in progress: {taskId} by 'agent-7' held by {instanceId}. A final stop sends work started without an agent back to pending and leaves work an agent started with that agent until its lease ends; a restart keeps all of it for the next worker.");
        var active = result.Items("active_tasks").ShouldHaveSingleItem();
        active.Str("task_id").ShouldBe(taskId);
        active.Str("title").ShouldBe("Write the parser");
        active.Str("agent_id").ShouldBe("agent-7");
        active.Str("holder_instance_id").ShouldBe(instanceId);
        active.Str("holder_state").ShouldBe("running");
    }

    [Fact]
    public async Task ShutdownPrepare_OnlyActiveTasksChecked_RunsOnlyThatCheck()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_shutdown_prepare", new { check_active_tasks = true, check_database_state = false, check_client_connections = false });

        result.Strs("checks_run").ShouldBe(["active_tasks"]);
        result.IsNull("database").ShouldBeTrue();
        result.IsNull("in_flight_calls").ShouldBeTrue();
        result.Bool("safe_to_shutdown").ShouldBeTrue();
    }

    [Fact]
    public async Task ShutdownPrepare_AnotherConnectionHoldsTheWriteLock_ReportsWriteLockHeldElsewhere()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.OkAsync("orchestrator_health_check");
        using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = server.DatabasePath, Pooling = false }.ToString());
        other.Open();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        var result = await server.OkAsync("orchestrator_shutdown_prepare");

        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        result.Bool("safe_to_shutdown").ShouldBeFalse();
        result.Pluck("blocking_issues", "kind").ShouldBe(["write_lock_held"]);
        result.Bool("database.write_lock_held").ShouldBeTrue();
        result.Str("database.write_lock_holder").ShouldBe("another_process");
        result.Int("database.open_write_units").ShouldBe(0);
    }
}
