using System.Globalization;
using System.Net.ServerSentEvents;
using System.Security.Cryptography;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Server.Http.Mcp;

#pragma warning disable MCP9006 // The SDK marks its resumability interfaces as legacy stateful-HTTP API; this server is stateful HTTP.

/// <summary>
/// The SSE events of one HTTP MCP session, kept so that a client whose connection broke can resume a
/// stream with <c>Last-Event-ID</c> ("Resumability and Redelivery" of Streamable HTTP). Each stream
/// (one per POST request, one for the GET stream) gets ids of the form <c>EPOCH.STREAM.SEQ</c>: unique
/// across the session's streams, a cursor within one, and carrying a random epoch so that an id issued
/// before a restart never selects a stream of the recreated session. Bounded: at most
/// <c>capacity</c> events are held; the oldest finished stream goes first, then the oldest events of
/// live streams (an id older than what is held is refused rather than replayed with a gap). A stream
/// whose response reached the client over its own POST is dropped at once. Thread-safe.
/// </summary>
internal sealed class SessionEventStore : ISseEventStreamStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, SessionEventStream> _streams = [];
    private readonly Dictionary<string, SessionEventStream> _byStreamId = new(StringComparer.Ordinal);
    private readonly LinkedList<SessionEventStream> _order = new();
    private readonly int _capacity;
    private long _lastOrdinal;
    private int _held;

    public SessionEventStore(string sessionId, int capacity, TimeSpan retryInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        SessionId = sessionId;
        _capacity = capacity;
        RetryInterval = retryInterval;
        Epoch = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    public string SessionId { get; }

    /// <summary>The reconnection delay sent with each stream's priming event.</summary>
    public TimeSpan RetryInterval { get; }

    /// <summary>Distinguishes this store's ids from those of an earlier store of the same session.</summary>
    public string Epoch { get; }

    /// <summary>Events held now, for tests and diagnostics.</summary>
    public int HeldEvents
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>Streams held now, for tests and diagnostics.</summary>
    public int HeldStreams
    {
        get
        {
            lock (_gate)
            {
                return _streams.Count;
            }
        }
    }

    internal Lock Gate => _gate;

    public ValueTask<ISseEventStreamWriter> CreateStreamAsync(SseEventStreamOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            var stream = new SessionEventStream(this, ++_lastOrdinal, options.StreamId, options.Mode);
            stream.Node = _order.AddLast(stream);
            _streams[stream.Ordinal] = stream;
            _byStreamId[options.StreamId] = stream;
            return ValueTask.FromResult<ISseEventStreamWriter>(stream);
        }
    }

    public ValueTask<ISseEventStreamReader?> GetStreamReaderAsync(string lastEventId, CancellationToken cancellationToken = default)
    {
        if (!TryParse(lastEventId, out var ordinal, out var sequence))
        {
            return ValueTask.FromResult<ISseEventStreamReader?>(null);
        }

        lock (_gate)
        {
            if (!_streams.TryGetValue(ordinal, out var stream) || !stream.CanResumeAfter(sequence))
            {
                return ValueTask.FromResult<ISseEventStreamReader?>(null);
            }

            return ValueTask.FromResult<ISseEventStreamReader?>(new SessionEventReader(stream, sequence));
        }
    }

    /// <summary>
    /// The POST that carried stream <paramref name="streamId"/> ended with its response written: nobody
    /// will resume it, so its events are let go. A stream switched to polling keeps its events: its
    /// response is still to be fetched with <c>Last-Event-ID</c>.
    /// </summary>
    public void Delivered(string streamId)
    {
        lock (_gate)
        {
            if (_byStreamId.TryGetValue(streamId, out var stream) && stream.Mode == SseEventStreamMode.Streaming)
            {
                Remove(stream);
            }
        }
    }

    internal string FormatId(long ordinal, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{Epoch}.{ordinal}.{sequence}");

    /// <summary>Called under the gate after a stream took an event: evicts down to the capacity.</summary>
    internal void Added()
    {
        _held++;
        while (_held > _capacity)
        {
            var victim = OldestCompleted() ?? _order.First!.Value;
            if (victim.Completed || victim.Count <= 1)
            {
                Remove(victim);
            }
            else
            {
                victim.TrimOldest();
                _held--;
            }
        }
    }

    private SessionEventStream? OldestCompleted()
    {
        for (var node = _order.First; node is not null; node = node.Next)
        {
            if (node.Value.Completed)
            {
                return node.Value;
            }
        }

        return null;
    }

    private void Remove(SessionEventStream stream)
    {
        if (stream.Node is null)
        {
            return;
        }

        _order.Remove(stream.Node);
        stream.Node = null;
        _streams.Remove(stream.Ordinal);
        if (_byStreamId.TryGetValue(stream.StreamId, out var current) && ReferenceEquals(current, stream))
        {
            _byStreamId.Remove(stream.StreamId);
        }

        _held -= stream.Detach();
    }

    private bool TryParse(string id, out long ordinal, out long sequence)
    {
        ordinal = 0;
        sequence = 0;
        var parts = id.Split('.');
        return parts.Length == 3
            && string.Equals(parts[0], Epoch, StringComparison.Ordinal)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ordinal)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
