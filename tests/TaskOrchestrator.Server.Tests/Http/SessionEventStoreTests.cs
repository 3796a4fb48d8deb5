using System.Net.ServerSentEvents;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Shouldly;
using TaskOrchestrator.Server.Http.Mcp;

namespace TaskOrchestrator.Server.Tests.Http;

#pragma warning disable MCP9006 // The SDK marks its resumability interfaces as legacy stateful-HTTP API.

public sealed class SessionEventStoreTests
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(750);

    [Fact]
    public async Task WriteEvent_Priming_GetsIdAndRetryHint_MessagesGetIdOnly()
    {
        var store = new SessionEventStore("session-a", 16, Retry);
        var writer = await Create(store, "1");

        var priming = await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(null, "message"), Ct);
        var response = await writer.WriteEventAsync(Message(1), Ct);

        priming.EventId.ShouldBe($"{store.Epoch}.1.1");
        priming.ReconnectionInterval.ShouldBe(Retry);
        response.EventId.ShouldBe($"{store.Epoch}.1.2");
        response.ReconnectionInterval.ShouldBeNull();
        store.Epoch.ShouldMatch("^[0-9a-f]{8}$");
    }

    [Fact]
    public async Task Reader_AfterLastEventId_ReplaysThatStreamOnlyUntilItsWriterEnds()
    {
        var store = new SessionEventStore("session-a", 16, Retry);
        var first = await Create(store, "1");
        var second = await Create(store, "2");
        var seen = await first.WriteEventAsync(Message(10), Ct);
        await second.WriteEventAsync(Message(20), Ct);
        await first.WriteEventAsync(Message(11), Ct);
        await first.WriteEventAsync(Message(12), Ct);
        await first.DisposeAsync();

        var reader = (await store.GetStreamReaderAsync(seen.EventId!, Ct)).ShouldNotBeNull();

        reader.SessionId.ShouldBe("session-a");
        reader.StreamId.ShouldBe("1");
        (await Ids(reader)).ShouldBe([$"{store.Epoch}.1.2", $"{store.Epoch}.1.3"]);
    }

    [Fact]
    public async Task Reader_StreamingStream_WaitsForLaterEventsAndTheEnd()
    {
        var store = new SessionEventStore("session-a", 16, Retry);
        var writer = await Create(store, "1");
        var priming = await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(null, "message"), Ct);
        var reader = (await store.GetStreamReaderAsync(priming.EventId!, Ct)).ShouldNotBeNull();

        var reading = Ids(reader);
        reading.IsCompleted.ShouldBeFalse();
        await writer.WriteEventAsync(Message(1), Ct);
        await writer.DisposeAsync();

        (await reading).ShouldBe([$"{store.Epoch}.1.2"]);
    }

    [Fact]
    public async Task Reader_PollingStream_WaitsForTheFirstNewEventThenEnds()
    {
        var store = new SessionEventStore("session-a", 16, Retry);
        var writer = await Create(store, "1");
        var priming = await writer.WriteEventAsync(new SseItem<JsonRpcMessage?>(null, "message"), Ct);
        await writer.SetModeAsync(SseEventStreamMode.Polling, Ct);
        var reader = (await store.GetStreamReaderAsync(priming.EventId!, Ct)).ShouldNotBeNull();

        var reading = Ids(reader);
        reading.IsCompleted.ShouldBeFalse();
        await writer.WriteEventAsync(Message(1), Ct);

        (await reading).ShouldBe([$"{store.Epoch}.1.2"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1.1")]
    [InlineData("00000000.1.1")]
    [InlineData("EPOCH.9.1")]
    [InlineData("EPOCH.1.5")]
    [InlineData("EPOCH.1.-1")]
    public async Task GetStreamReader_IdNotHeld_IsNull(string id)
    {
        var store = new SessionEventStore("session-a", 16, Retry);
        var writer = await Create(store, "1");
        await writer.WriteEventAsync(Message(1), Ct);

        (await store.GetStreamReaderAsync(id.Replace("EPOCH", store.Epoch, StringComparison.Ordinal), Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Delivered_StreamingStream_IsLetGo_PollingStreamIsKept()
    {
        var store = new SessionEventStore("session-a", 16, Retry);
        var delivered = await Create(store, "1");
        var polled = await Create(store, "2");
        var deliveredId = (await delivered.WriteEventAsync(Message(1), Ct)).EventId!;
        var polledId = (await polled.WriteEventAsync(Message(2), Ct)).EventId!;
        await polled.SetModeAsync(SseEventStreamMode.Polling, Ct);

        store.Delivered("1");
        store.Delivered("2");

        (await store.GetStreamReaderAsync(deliveredId, Ct)).ShouldBeNull();
        (await store.GetStreamReaderAsync(polledId, Ct)).ShouldNotBeNull();
        store.HeldStreams.ShouldBe(1);
        store.HeldEvents.ShouldBe(1);
        (await delivered.WriteEventAsync(Message(3), Ct)).EventId.ShouldBe($"{store.Epoch}.1.2");
        store.HeldEvents.ShouldBe(1);
    }

    [Fact]
    public async Task Capacity_EvictsOldestFinishedStreamFirst()
    {
        var store = new SessionEventStore("session-a", 3, Retry);
        var live = await Create(store, "get");
        var liveId = (await live.WriteEventAsync(Message(1), Ct)).EventId!;
        var finished = await Create(store, "1");
        var finishedId = (await finished.WriteEventAsync(Message(2), Ct)).EventId!;
        await finished.DisposeAsync();
        var newer = await Create(store, "2");
        await newer.WriteEventAsync(Message(3), Ct);

        await newer.WriteEventAsync(Message(4), Ct);

        store.HeldEvents.ShouldBe(3);
        (await store.GetStreamReaderAsync(finishedId, Ct)).ShouldBeNull();
        (await store.GetStreamReaderAsync(liveId, Ct)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Capacity_WithOnlyLiveStreams_TrimsOldestEvents_AndAnIdBeforeTheGapIsRefused()
    {
        var store = new SessionEventStore("session-a", 2, Retry);
        var writer = await Create(store, "get");
        var first = (await writer.WriteEventAsync(Message(1), Ct)).EventId!;
        var second = (await writer.WriteEventAsync(Message(2), Ct)).EventId!;
        await writer.WriteEventAsync(Message(3), Ct);
        await writer.WriteEventAsync(Message(4), Ct);
        await writer.DisposeAsync();

        store.HeldEvents.ShouldBe(2);
        (await store.GetStreamReaderAsync(first, Ct)).ShouldBeNull();
        var reader = (await store.GetStreamReaderAsync(second, Ct)).ShouldNotBeNull();
        (await Ids(reader)).ShouldBe([$"{store.Epoch}.1.3", $"{store.Epoch}.1.4"]);
    }

    [Fact]
    public async Task Reader_WhoseNextEventsAreEvictedWhileWaiting_EndsInsteadOfSkipping()
    {
        var store = new SessionEventStore("session-a", 1, Retry);
        var writer = await Create(store, "get");
        var seen = (await writer.WriteEventAsync(Message(1), Ct)).EventId!;
        var reader = (await store.GetStreamReaderAsync(seen, Ct)).ShouldNotBeNull();
        await using var events = reader.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);

        var next = events.MoveNextAsync();
        await writer.WriteEventAsync(Message(2), Ct);
        (await next).ShouldBeTrue();
        events.Current.EventId.ShouldBe($"{store.Epoch}.1.2");

        // Two more while the reader is not looking: capacity 1 keeps only the last, so .1.3 is lost to it.
        await writer.WriteEventAsync(Message(3), Ct);
        await writer.WriteEventAsync(Message(4), Ct);
        (await events.MoveNextAsync()).ShouldBeFalse();
    }

    [Fact]
    public void Constructor_ZeroCapacity_Throws() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new SessionEventStore("session-a", 0, Retry));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ISseEventStreamWriter> Create(SessionEventStore store, string streamId) =>
        await store.CreateStreamAsync(new SseEventStreamOptions { SessionId = store.SessionId, StreamId = streamId, Mode = SseEventStreamMode.Streaming }, Ct);

    private static SseItem<JsonRpcMessage?> Message(long id) =>
        new(new JsonRpcResponse { Id = new RequestId(id), Result = null }, "message");

    private static async Task<List<string>> Ids(ISseEventStreamReader reader)
    {
        var ids = new List<string>();
        await foreach (var item in reader.ReadEventsAsync(Ct))
        {
            ids.Add(item.EventId!);
        }

        return ids;
    }
}
