using System.Net.ServerSentEvents;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Server.Http.Mcp;

#pragma warning disable MCP9006 // The SDK marks its resumability interfaces as legacy stateful-HTTP API; this server is stateful HTTP.

/// <summary>
/// One SSE stream of a <see cref="SessionEventStore"/>: the writer the transport records its events
/// with, and the events held for replay. Its state is guarded by the store's gate.
/// </summary>
internal sealed class SessionEventStream : ISseEventStreamWriter
{
    private readonly SessionEventStore _store;
    private readonly List<SseItem<JsonRpcMessage?>> _events = [];
    private long _firstSequence = 1;
    private long _nextSequence = 1;
    private bool _detached;
    private TaskCompletionSource? _changed;

    public SessionEventStream(SessionEventStore store, long ordinal, string streamId, SseEventStreamMode mode)
    {
        _store = store;
        Ordinal = ordinal;
        StreamId = streamId;
        Mode = mode;
    }

    public long Ordinal { get; }

    public string StreamId { get; }

    public string SessionId => _store.SessionId;

    /// <summary>Guarded by the store's gate, like every member below.</summary>
    public SseEventStreamMode Mode { get; private set; }

    /// <summary>The writer was disposed: no event will follow.</summary>
    public bool Completed { get; private set; }

    public int Count => _events.Count;

    public LinkedListNode<SessionEventStream>? Node { get; set; }

    public ValueTask<SseItem<JsonRpcMessage?>> WriteEventAsync(SseItem<JsonRpcMessage?> sseItem, CancellationToken cancellationToken = default)
    {
        if (sseItem.EventId is not null)
        {
            return ValueTask.FromResult(sseItem);
        }

        lock (_store.Gate)
        {
            var sequence = _nextSequence++;
            var item = sseItem with { EventId = _store.FormatId(Ordinal, sequence) };
            if (item.Data is null && item.ReconnectionInterval is null)
            {
                // A priming event: it also tells the client how long to wait before reconnecting.
                item = item with { ReconnectionInterval = _store.RetryInterval };
            }

            if (_detached)
            {
                _firstSequence = _nextSequence;
            }
            else
            {
                _events.Add(item);
                _store.Added();
            }

            Signal();
            return ValueTask.FromResult(item);
        }
    }

    public ValueTask SetModeAsync(SseEventStreamMode mode, CancellationToken cancellationToken = default)
    {
        lock (_store.Gate)
        {
            Mode = mode;
            Signal();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_store.Gate)
        {
            Completed = true;
            Signal();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Whether a client that last saw event <paramref name="sequence"/> can be served without a gap.</summary>
    public bool CanResumeAfter(long sequence) => sequence >= _firstSequence - 1 && sequence < _nextSequence;

    /// <summary>
    /// The events after <paramref name="sequence"/> held now; <c>Gap</c> when some of them were evicted
    /// (the stream cannot continue faithfully); <c>Changed</c> completes at the next write or state change.
    /// </summary>
    public (SseItem<JsonRpcMessage?>[] Events, long Last, bool Gap, bool Completed, SseEventStreamMode Mode, Task Changed) Read(long sequence)
    {
        lock (_store.Gate)
        {
            if (sequence < _firstSequence - 1)
            {
                return ([], sequence, true, Completed, Mode, Task.CompletedTask);
            }

            var skip = (int)(sequence - _firstSequence + 1);
            var events = skip >= _events.Count ? [] : _events.GetRange(skip, _events.Count - skip).ToArray();
            _changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (events, _nextSequence - 1, false, Completed, Mode, _changed.Task);
        }
    }

    /// <summary>Drops the oldest held event (the store is over capacity).</summary>
    public void TrimOldest()
    {
        _events.RemoveAt(0);
        _firstSequence++;
    }

    /// <summary>The store let the stream go: drops its events and returns how many there were.</summary>
    public int Detach()
    {
        var count = _events.Count;
        _events.Clear();
        _firstSequence = _nextSequence;
        _detached = true;
        Signal();
        return count;
    }

    private void Signal()
    {
        _changed?.TrySetResult();
        _changed = null;
    }
}
