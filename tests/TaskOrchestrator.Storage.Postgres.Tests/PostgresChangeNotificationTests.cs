using System.Text.Json.Nodes;
using Npgsql;
using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Storage.Postgres.Tests;

/// <summary>
/// LISTEN/NOTIFY as a wake-up hint: a commit that appends events, made through another provider (as
/// another process would), wakes this process's listener for that workspace; a listen connection that
/// is cut is opened again and wakes everyone, since what it missed is unknown.
/// </summary>
public sealed class PostgresChangeNotificationTests(PostgresCluster cluster) : IAsyncLifetime
{
    private readonly TemporaryDirectory _first = new("to-pg-notify-a");
    private readonly TemporaryDirectory _second = new("to-pg-notify-b");
    private readonly StoreChangeSignal _signal = new();
    private PostgresStoreProvider? _listening;
    private PostgresStoreProvider? _writer;

    // A wake-up that never comes fails the test at this bound instead of hanging it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        cluster.SkipIfUnavailable();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_listening is not null)
        {
            await _listening.DisposeAsync();
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        _first.Dispose();
        _second.Dispose();
    }

    [Fact]
    public async Task Commit_ThroughAnotherProvider_WakesTheListenerForThatWorkspaceOnly()
    {
        var (first, second, writerStore) = await StartAsync("notify_wake");
        var wakeFirst = _signal.Next(first.Workspace.Id);
        var wakeSecond = _signal.Next(second.Workspace.Id);
        var raised = _signal.RaisedCount;

        await AppendEventAsync(writerStore);

        await wakeFirst.WaitAsync(Bound, Ct);
        _listening!.Listener!.Notifications.ShouldBe(1);
        _signal.RaisedCount.ShouldBe(raised + 1);
        wakeSecond.IsCompleted.ShouldBeFalse("the notification named the first workspace only");
    }

    [Fact]
    public async Task Commit_WithoutEvents_SendsNoNotification()
    {
        var (first, _, writerStore) = await StartAsync("notify_quiet");
        var wake = _signal.Next(first.Workspace.Id);

        // A heartbeat-like write with no event, then one with an event: only the second notifies.
        await using (var unit = await writerStore.BeginWriteAsync(Ct))
        {
            await unit.Instances.HeartbeatAsync("inst_nobody", DateTimeOffset.UtcNow, Ct);
            await unit.CommitAsync(Ct);
        }

        await AppendEventAsync(writerStore);
        await wake.WaitAsync(Bound, Ct);

        _listening!.Listener!.Notifications.ShouldBe(1);
    }

    [Fact]
    public async Task ListenConnection_TerminatedByTheServer_IsOpenedAgainWakingEveryoneThenDeliversAgain()
    {
        var (first, second, writerStore) = await StartAsync("notify_reconnect");
        var wakeSecond = _signal.Next(second.Workspace.Id);

        await using (var admin = new NpgsqlConnection(await cluster.DatabaseAsync("notify_reconnect")))
        {
            await admin.OpenAsync(Ct);
            await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'task-orchestrator listener' AND datname = current_database()", admin);
            ((long)(await terminate.ExecuteScalarAsync(Ct))!).ShouldBe(1);
        }

        // Reconnected: every waiter is woken, whatever workspace it waits for.
        await wakeSecond.WaitAsync(Bound, Ct);
        _listening!.Listener!.Connects.ShouldBe(2);
        _listening.Listener.Listening.ShouldBeTrue();

        var wakeFirst = _signal.Next(first.Workspace.Id);
        await AppendEventAsync(writerStore);
        await wakeFirst.WaitAsync(Bound, Ct);
        _listening.Listener.Notifications.ShouldBe(1);
    }

    /// <summary>
    /// A provider with a signal (its listener connected, which wakes every waiter once) on two workspaces,
    /// and one without (another process) on the first.
    /// </summary>
    private async Task<(IOrchestratorStore First, IOrchestratorStore Second, IOrchestratorStore Writer)> StartAsync(string database)
    {
        var options = new PostgresStoreOptions { ConnectionString = await cluster.DatabaseAsync(database) };
        _listening = new PostgresStoreProvider(options, TimeProvider.System, _signal);
        _writer = new PostgresStoreProvider(options, TimeProvider.System);
        var connected = _signal.Next("waiting-for-the-listener");
        var first = await _listening.OpenAsync(_first.Path, Ct);
        var second = await _listening.OpenAsync(_second.Path, Ct);
        await connected.WaitAsync(Bound, Ct);
        _listening.Listener!.Connects.ShouldBe(1);
        return (first, second, await _writer.OpenAsync(_first.Path, Ct));
    }

    private static async Task AppendEventAsync(IOrchestratorStore store)
    {
        await using var unit = await store.BeginWriteAsync(Ct);
        await unit.Events.AppendAsync(TaskEvents.Of(EventKinds.HealthTransition, store.Workspace.Id, null, Actor.System, DateTimeOffset.UtcNow, new JsonObject { ["check"] = "notify" }), Ct);
        await unit.CommitAsync(Ct);
    }
}
