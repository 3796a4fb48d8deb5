using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>
/// The event stream is woken by the store's change signal and keeps polling as the truth: a commit of
/// this process goes out without waiting for the poll; a commit no signal reports still goes out.
/// </summary>
public sealed class EventStreamWakeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_CommitInThisProcess_WakeTheStreamLongBeforeItsNextPoll()
    {
        // A poll a minute apart: the 30 s read below fails unless the signal wakes the stream.
        await using var host = await WebApiHost.StartAsync(Token, settings: new Dictionary<string, string?> { ["WebApi:EventPollInterval"] = "00:01:00" });
        var signal = host.Services.GetRequiredService<StoreChangeSignal>();
        await using var stream = await SseReader.OpenAsync(host.Client, "api/events", null, Token);
        (await ReadAsync(stream)).Event.ShouldBe("ready");
        var raised = signal.RaisedCount;

        var plan = await host.PlanAsync(new TaskSpec { Title = "Woken" });

        signal.RaisedCount.ShouldBe(raised + 1, "the plan's commit raised the signal once");
        var message = await ReadAsync(stream);
        JsonDocument.Parse(message.Data).RootElement.GetProperty("task_id").GetString().ShouldBe(plan.Root.Task.Id);
    }

    [Fact]
    public async Task Events_CommitThatRaisesNoSignal_StillDeliveredByThePoll()
    {
        await using var host = await WebApiHost.StartAsync(Token);
        var signal = host.Services.GetRequiredService<StoreChangeSignal>();
        await using var stream = await SseReader.OpenAsync(host.Client, "api/events", null, Token);
        (await ReadAsync(stream)).Event.ShouldBe("ready");
        var raised = signal.RaisedCount;

        // Another provider on the same file, as another process is: its commit tells this one nothing.
        await using (var other = new SqliteStoreProvider(new SqliteStoreOptions(), TimeProvider.System))
        {
            var otherStore = await other.OpenAsync(host.Workspace, Token);
            await using var unit = await otherStore.BeginWriteAsync(Token);
            await unit.Events.AppendAsync(TaskEvents.Of(EventKinds.HealthTransition, otherStore.Workspace.Id, null, Actor.System, DateTimeOffset.UtcNow, new System.Text.Json.Nodes.JsonObject { ["check"] = "unsignalled" }), Token);
            await unit.CommitAsync(Token);
        }

        var message = await ReadAsync(stream);
        JsonDocument.Parse(message.Data).RootElement.GetProperty("kind").GetString().ShouldBe(EventKinds.HealthTransition);
        signal.RaisedCount.ShouldBe(raised, "no signal reached this process: the poll found the event");
    }

    private static async Task<SseMessage> ReadAsync(SseReader stream)
    {
        // A stream that stops delivering fails the test instead of hanging it.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await stream.ReadAsync(timeout.Token) ?? throw new InvalidOperationException("The server ended the event stream.");
    }
}
