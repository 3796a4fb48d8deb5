using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Server.Http.Api;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>GET /api/events over real HTTP: live delivery, resumption with Last-Event-ID, clean ends.</summary>
public sealed class EventStreamTests : IAsyncLifetime
{
    private WebApiHost _host = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _host = await WebApiHost.StartAsync(Token);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Events_DeliverNewEventsThenResumeAfterLastEventIdWithoutLossOrRepeat()
    {
        var streams = _host.Services.GetRequiredService<EventStreams>();
        var before = (await _host.PlanAsync(new TaskSpec { Title = "Before the stream" })).Root.Task.Id;
        var head = await NewestSequenceAsync();

        // Opened without a position: the stream starts at the end of the log.
        List<SseMessage> first;
        await using (var stream = await SseReader.OpenAsync(_host.Client, "api/events", null, Token))
        {
            stream.Response.StatusCode.ShouldBe(HttpStatusCode.OK);
            stream.Response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
            var ready = await ReadAsync(stream);
            ready.Event.ShouldBe("ready");
            JsonDocument.Parse(ready.Data).RootElement.GetProperty("after_sequence").GetInt64().ShouldBe(head);

            var plan = await _host.PlanAsync(new TaskSpec { Title = "Parent", Subtasks = [new TaskSpec { Title = "Child one" }, new TaskSpec { Title = "Child two" }] });
            first = await ReadUntilAsync(stream, await NewestSequenceAsync());
            first.Select(m => Kind(m)).ShouldBe(["task_created", "task_created", "task_created"]);
            first.Select(m => TaskId(m)).ShouldBe([plan.Root.Task.Id, plan.Subtasks[0].Task.Id, plan.Subtasks[1].Task.Id]);
            first.ShouldNotContain(m => TaskId(m) == before);
            await _host.StartTaskAsync(plan.Subtasks[0].Task.Id);
            await _host.SetStatusAsync(plan.Subtasks[1].Task.Id, TaskItemStatus.Blocked, "waiting for a licence");
        }

        // The server ends its side when the client goes away.
        await streams.WaitUntilAsync(open => open == 0, Token);

        // Reconnecting with the last id received: exactly what was logged after it, in order.
        var lastId = first[^1].Id!;
        var expected = await SequencesAfterAsync(long.Parse(lastId, CultureInfo.InvariantCulture));
        expected.Count.ShouldBe(2);
        await using (var resumed = await SseReader.OpenAsync(_host.Client, "api/events?since=0", lastId, Token))
        {
            (await ReadAsync(resumed)).Event.ShouldBe("ready");
            var second = await ReadUntilAsync(resumed, expected[^1]);
            second.Select(m => long.Parse(m.Id!, CultureInfo.InvariantCulture)).ShouldBe(expected);
            second.Select(m => $"{Kind(m)}:{JsonDocument.Parse(m.Data).RootElement.GetProperty("to").GetString()}").ShouldBe(["status_changed:in_progress", "status_changed:blocked"]);
        }

        await streams.WaitUntilAsync(open => open == 0, Token);
    }

    [Fact]
    public async Task Events_WithSince_ReplayTheWholeLogInOrder()
    {
        await _host.PlanAsync(new TaskSpec { Title = "One" });
        await _host.PlanAsync(new TaskSpec { Title = "Two" });
        var expected = await SequencesAfterAsync(0);

        await using var stream = await SseReader.OpenAsync(_host.Client, "api/events?since=0", null, Token);
        (await ReadAsync(stream)).Event.ShouldBe("ready");
        var replayed = await ReadUntilAsync(stream, expected[^1]);

        replayed.Select(m => long.Parse(m.Id!, CultureInfo.InvariantCulture)).ShouldBe(expected);
        replayed.Select(m => JsonDocument.Parse(m.Data).RootElement.GetProperty("sequence").GetInt64()).ShouldBe(expected);
    }

    [Fact]
    public async Task Events_WithABadLastEventId_Return400BeforeStreaming()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", "abc");
        using var response = await _host.Client.SendAsync(request, Token);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().ShouldBe("invalid_argument");
        error.GetProperty("field").GetString().ShouldBe("Last-Event-ID");
    }

    private async Task<long> NewestSequenceAsync()
    {
        var store = await _host.StoreAsync();
        await using var read = await store.BeginReadAsync(Token);
        var newest = await read.Events.GetRecentAsync(null, 1, Token);
        return newest.Count == 0 ? 0 : newest[0].Sequence;
    }

    private async Task<List<long>> SequencesAfterAsync(long after)
    {
        var store = await _host.StoreAsync();
        await using var read = await store.BeginReadAsync(Token);
        return [.. (await read.Events.GetAfterAsync(after, 10_000, Token)).Select(e => e.Sequence)];
    }

    /// <summary>Reads events up to and including <paramref name="last"/>, failing on anything past it.</summary>
    private static async Task<List<SseMessage>> ReadUntilAsync(SseReader stream, long last)
    {
        var messages = new List<SseMessage>();
        while (messages.Count == 0 || long.Parse(messages[^1].Id!, CultureInfo.InvariantCulture) < last)
        {
            var message = await ReadAsync(stream);
            message.Event.ShouldBe("message");
            messages.Add(message);
        }

        long.Parse(messages[^1].Id!, CultureInfo.InvariantCulture).ShouldBe(last);
        return messages;
    }

    private static async Task<SseMessage> ReadAsync(SseReader stream)
    {
        // A stream that stops delivering fails the test instead of hanging it.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await stream.ReadAsync(timeout.Token) ?? throw new InvalidOperationException("The server ended the event stream.");
    }

    private static string Kind(SseMessage message) => JsonDocument.Parse(message.Data).RootElement.GetProperty("kind").GetString()!;

    private static string? TaskId(SseMessage message) => JsonDocument.Parse(message.Data).RootElement.GetProperty("task_id").GetString();
}
