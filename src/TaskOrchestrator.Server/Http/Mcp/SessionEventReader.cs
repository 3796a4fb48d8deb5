using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Server.Http.Mcp;

#pragma warning disable MCP9006 // The SDK marks its resumability interfaces as legacy stateful-HTTP API; this server is stateful HTTP.

/// <summary>
/// Replays one stream of a <see cref="SessionEventStore"/> after a <c>Last-Event-ID</c>. A streaming
/// stream is followed until its writer finishes; a stream switched to polling yields what it holds and
/// ends (when it holds nothing new yet, it waits for the next event first, so a poll never comes back
/// empty while the stream is alive). Stops early when events the client still needs were evicted.
/// </summary>
internal sealed class SessionEventReader : ISseEventStreamReader
{
    private readonly SessionEventStream _stream;
    private readonly long _after;

    public SessionEventReader(SessionEventStream stream, long after)
    {
        _stream = stream;
        _after = after;
    }

    public string SessionId => _stream.SessionId;

    public string StreamId => _stream.StreamId;

    public async IAsyncEnumerable<SseItem<JsonRpcMessage?>> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = _after;
        var yielded = false;
        while (true)
        {
            var (events, last, gap, completed, mode, changed) = _stream.Read(after);
            if (gap)
            {
                yield break;
            }

            foreach (var item in events)
            {
                yield return item;
                yielded = true;
            }

            after = last;
            if (completed || (mode == SseEventStreamMode.Polling && yielded))
            {
                yield break;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }
}
