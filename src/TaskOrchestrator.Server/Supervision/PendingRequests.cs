using System.Buffers;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>A client message the supervisor holds or has forwarded and not yet seen answered.</summary>
/// <param name="Line">The message as the client sent it (or with the supervisor's facts added).</param>
/// <param name="Message">Its routing facts.</param>
/// <param name="ReceivedAt">When the client sent it.</param>
internal sealed record ClientMessage(ReadOnlyMemory<byte> Line, JsonRpcMessage Message, DateTimeOffset ReceivedAt)
{
    private byte[]? _rented;
    private int _sending;
    private int _answered;

    /// <summary>
    /// The pooled array <see cref="Line"/> lies in, when it was rented (<see cref="ClientLine"/>). It goes
    /// back to the pool once the request is answered and no send of it is under way, the point after
    /// which nothing reads it; a message dropped any other way leaves its array to the garbage collector.
    /// </summary>
    public byte[]? Rented
    {
        init => _rented = value;
    }

    /// <summary>A send to a worker starts: called under the supervisor's lock, before the request is in flight.</summary>
    public void BeginSend() => Interlocked.Increment(ref _sending);

    /// <summary>A send ended; the last one after the answer gives the array back.</summary>
    public void EndSend()
    {
        if (Interlocked.Decrement(ref _sending) == 0 && Volatile.Read(ref _answered) == 1)
        {
            ReturnRented();
        }
    }

    /// <summary>The request was answered: nothing will send it again (a replay takes only requests in flight).</summary>
    public void Answered()
    {
        Interlocked.Exchange(ref _answered, 1);
        if (Volatile.Read(ref _sending) == 0)
        {
            ReturnRented();
        }
    }

    private void ReturnRented()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The worker generation it was last sent to; -1 while held.</summary>
    public int Generation { get; set; } = -1;

    /// <summary>How many times it was sent again to a new worker after its worker died.</summary>
    public int Replays { get; set; }
}

/// <summary>Client requests sent to a worker and not yet answered, by raw id. Used under the supervisor's lock.</summary>
internal sealed class InFlightTable
{
    private readonly Dictionary<string, ClientMessage> _byId = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    public IEnumerable<ClientMessage> Items => _byId.Values;

    public void Add(ClientMessage request) => _byId[request.Message.Id!] = request;

    /// <summary>Removes the request <paramref name="id"/> if the worker of <paramref name="generation"/> holds it.</summary>
    public bool TryComplete(string id, int generation, out ClientMessage? request)
    {
        if (_byId.TryGetValue(id, out request) && request.Generation == generation)
        {
            _byId.Remove(id);
            return true;
        }

        request = null;
        return false;
    }

    public bool Contains(string id) => _byId.ContainsKey(id);

    public int CountFor(int generation) => _byId.Values.Count(request => request.Generation == generation);

    /// <summary>Takes every request the worker of <paramref name="generation"/> held, oldest first.</summary>
    public List<ClientMessage> TakeAll(int generation)
    {
        var taken = _byId.Values.Where(request => request.Generation == generation).OrderBy(request => request.ReceivedAt).ToList();
        foreach (var request in taken)
        {
            _byId.Remove(request.Message.Id!);
        }

        return taken;
    }
}

/// <summary>
/// Client messages held while no worker can take them, in arrival order, within a count and a size
/// limit. Used under the supervisor's lock.
/// </summary>
internal sealed class RequestBuffer
{
    private readonly LinkedList<ClientMessage> _messages = new();
    private long _bytes;

    public RequestBuffer(int maxMessages, long maxBytes)
    {
        MaxMessages = maxMessages;
        MaxBytes = maxBytes;
    }

    public int MaxMessages { get; }

    public long MaxBytes { get; }

    public int Count => _messages.Count;

    public long Bytes => _bytes;

    /// <summary>Every message held, in the order it will be delivered.</summary>
    public IEnumerable<ClientMessage> Items => _messages;

    /// <summary>Holds a new message at the end; false when the buffer is full.</summary>
    public bool TryAdd(ClientMessage message)
    {
        if (_messages.Count >= MaxMessages || _bytes + message.Line.Length > MaxBytes)
        {
            return false;
        }

        _messages.AddLast(message);
        _bytes += message.Line.Length;
        return true;
    }

    /// <summary>
    /// Puts requests interrupted by a worker's death before everything held, in their original order:
    /// they were sent before anything that is waiting. Always accepted; nothing acknowledged is dropped.
    /// </summary>
    public void AddFirst(IReadOnlyList<ClientMessage> replays)
    {
        for (var i = replays.Count - 1; i >= 0; i--)
        {
            _messages.AddFirst(replays[i]);
            _bytes += replays[i].Line.Length;
        }
    }

    public bool TryTake(out ClientMessage? message)
    {
        if (_messages.First is not { } first)
        {
            message = null;
            return false;
        }

        _messages.RemoveFirst();
        _bytes -= first.Value.Line.Length;
        message = first.Value;
        return true;
    }

    /// <summary>Removes the held request <paramref name="id"/> (the client cancelled it).</summary>
    public bool Remove(string id)
    {
        for (var node = _messages.First; node is not null; node = node.Next)
        {
            if (node.Value.Message.Kind == JsonRpcKind.Request && node.Value.Message.Id == id)
            {
                _bytes -= node.Value.Line.Length;
                _messages.Remove(node);
                return true;
            }
        }

        return false;
    }

    public List<ClientMessage> TakeAll()
    {
        var all = _messages.ToList();
        _messages.Clear();
        _bytes = 0;
        return all;
    }
}
