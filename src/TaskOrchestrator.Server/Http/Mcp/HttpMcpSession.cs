using ModelContextProtocol.Server;

namespace TaskOrchestrator.Server.Http.Mcp;

/// <summary>
/// One live MCP session over HTTP: its transport, the server that answers it and what the idle sweep
/// needs (requests in flight, last activity). Thread-safe.
/// </summary>
internal sealed class HttpMcpSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private readonly TimeProvider _time;
    private int _active;
    private int _getStarted;
    private int _disposed;
    private long _lastActivityTicks;

    public HttpMcpSession(SessionRecord record, StreamableHttpServerTransport transport, SessionEventStore? events, TimeProvider time)
    {
        Record = record;
        Transport = transport;
        Events = events;
        _time = time;
        _lastActivityTicks = time.GetUtcNow().UtcTicks;
    }

    public string Id => Record.Id;

    public SessionRecord Record { get; }

    public StreamableHttpServerTransport Transport { get; }

    /// <summary>The events kept for resuming streams; null when <c>Http:ResumableEventsPerSession</c> is 0.</summary>
    public SessionEventStore? Events { get; }

    public McpServer Server { get; private set; } = null!;

    /// <summary>Cancelled when the session ends.</summary>
    public CancellationToken Closed => _closed.Token;

    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    public bool IsBusy => Volatile.Read(ref _active) > 0;

    private Task _run = Task.CompletedTask;

    /// <summary>Starts <paramref name="server"/> reading the transport until the session ends.</summary>
    public void Start(McpServer server)
    {
        Server = server;
        _run = server.RunAsync(_closed.Token);
    }

    /// <summary>Marks a request in flight until the returned scope is disposed; a session in use is never idle.</summary>
    public Activity Enter()
    {
        Interlocked.Increment(ref _active);
        Touch();
        return new Activity(this);
    }

    /// <summary>The session's server stream (GET) can be opened once: the transport serves one per session.</summary>
    public bool TryStartGet() => Interlocked.CompareExchange(ref _getStarted, 1, 0) == 0;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            // The transport first: its reader completes and the server's loop ends without an exception.
            await Transport.DisposeAsync();
            await _closed.CancelAsync();
            await _run;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (Server is not null)
            {
                await Server.DisposeAsync();
            }

            _closed.Dispose();
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivityTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>A request in flight on the session.</summary>
    public readonly struct Activity : IDisposable
    {
        private readonly HttpMcpSession _session;

        public Activity(HttpMcpSession session)
        {
            _session = session;
        }

        public void Dispose()
        {
            _session.Touch();
            Interlocked.Decrement(ref _session._active);
        }
    }
}
