using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Mcp.Connections;

namespace TaskOrchestrator.Server.Http.Mcp;

#pragma warning disable MCP9006 // The SDK marks its resumability API (EventStreamStore, ISseEventStreamReader) as legacy stateful HTTP; this server is stateful HTTP.

/// <summary>
/// The HTTP MCP sessions: creates them with cryptographically random ids, finds them, ends them on
/// DELETE or after <c>Http:SessionIdleTimeout</c> without use, and keeps their records in
/// <see cref="SessionRecordFile"/> so that a restarted server recreates a session its client still
/// uses (from the client's initialize parameters) instead of making it start over. Thread-safe.
/// </summary>
internal sealed partial class HttpSessionManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, HttpMcpSession> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionRecord> _records;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _restoring = new(1, 1);
    private readonly SessionRecordFile _file;
    private readonly IOptions<McpServerOptions> _serverOptions;
    private readonly IOptionsFactory<McpServerOptions> _serverOptionsFactory;
    private readonly HttpOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ConnectionRegistry _connections;
    private readonly LiveServers _servers;
    private readonly ILogger<HttpSessionManager> _logger;

    public HttpSessionManager(SessionRecordFile file, IOptions<McpServerOptions> serverOptions, IOptionsFactory<McpServerOptions> serverOptionsFactory, IOptions<HttpOptions> options, ILoggerFactory loggers, IServiceProvider services, TimeProvider time, ConnectionRegistry connections, LiveServers servers)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _file = file;
        _serverOptions = serverOptions;
        _serverOptionsFactory = serverOptionsFactory;
        _options = options.Value;
        _loggers = loggers;
        _services = services;
        _time = time;
        _connections = connections;
        _servers = servers;
        _logger = loggers.CreateLogger<HttpSessionManager>();
        _records = file.Load().ToDictionary(r => r.Id, StringComparer.Ordinal);
    }

    /// <summary>Live sessions, for tests and diagnostics.</summary>
    public int LiveCount => _live.Count;

    /// <summary>
    /// Starts a new session for an initialize request of <paramref name="client"/>; null when
    /// <c>Http:MaxSessions</c> are open (sessions that never finished their handshake count too, so a
    /// flood of initialize requests cannot grow memory without bound).
    /// </summary>
    public HttpMcpSession? Create(string? client)
    {
        if (_live.Count >= _options.MaxSessions)
        {
            LogFull(_logger, _options.MaxSessions);
            return null;
        }

        var now = _time.GetUtcNow();
        var record = new SessionRecord { Id = NewId(), Client = client, CreatedAt = now, LastSeenAt = now };
        var events = NewEventStore(record.Id);
        var transport = new StreamableHttpServerTransport(_loggers)
        {
            SessionId = record.Id,
            OnSessionInitialized = (parameters, token) => new ValueTask(RememberAsync(record, parameters, token)),
            EventStreamStore = events,
        };
        var session = new HttpMcpSession(record, transport, events, _time);
        session.Start(McpServer.Create(transport, _serverOptions.Value, _loggers, _services));
        _live[record.Id] = session;
        lock (_gate)
        {
            _records[record.Id] = record;
        }

        var name = Short(record.Id);
        LogCreated(_logger, name, client ?? "anonymous");
        return session;
    }

    /// <summary>
    /// The session <paramref name="id"/>: live, or recreated from its record after a restart. Null when
    /// it is unknown, ended or expired (the client initializes again), or belongs to another client.
    /// </summary>
    public async Task<(HttpMcpSession? Session, bool OtherClient)> FindAsync(string id, string? client, CancellationToken cancellationToken)
    {
        if (_live.TryGetValue(id, out var live))
        {
            return string.Equals(live.Record.Client, client, StringComparison.Ordinal) ? (live, false) : (null, true);
        }

        await _restoring.WaitAsync(cancellationToken);
        try
        {
            if (_live.TryGetValue(id, out live))
            {
                return string.Equals(live.Record.Client, client, StringComparison.Ordinal) ? (live, false) : (null, true);
            }

            SessionRecord? record;
            lock (_gate)
            {
                _records.TryGetValue(id, out record);
            }

            if (record?.Initialize is null || Expired(record.LastSeenAt))
            {
                return (null, false);
            }

            if (!string.Equals(record.Client, client, StringComparison.Ordinal))
            {
                return (null, true);
            }

            return (await RestoreAsync(record), false);
        }
        finally
        {
            _restoring.Release();
        }
    }

    /// <summary>
    /// Records the task session current on <paramref name="session"/>'s connection when a call changed
    /// it, so that a restarted server keeps it current. Rare (initialize or resume a session), so the
    /// file is written at once.
    /// </summary>
    public async Task NoteBindingAsync(HttpMcpSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_connections.Find(session.Id)?.Binding is not { } binding)
        {
            return;
        }

        lock (_gate)
        {
            if (session.Record.BoundSession == binding.SessionId && session.Record.BoundWorkspace == binding.WorkspaceRoot)
            {
                return;
            }

            session.Record.BoundSession = binding.SessionId;
            session.Record.BoundWorkspace = binding.WorkspaceRoot;
        }

        await SaveAsync(cancellationToken);
    }

    /// <summary>Ends session <paramref name="id"/> (DELETE); false when there is no such session.</summary>
    public async Task<bool> EndAsync(string id, CancellationToken cancellationToken)
    {
        bool known;
        lock (_gate)
        {
            known = _records.Remove(id);
        }

        if (_live.TryRemove(id, out var session))
        {
            known = true;
            Forget(id);
            await session.DisposeAsync();
        }

        if (known)
        {
            var name = Short(id);
            LogEnded(_logger, name);
            await SaveAsync(cancellationToken);
        }

        return known;
    }

    /// <summary>
    /// Ends the sessions idle for longer than the timeout, drops expired records and writes the file
    /// with the latest activity. Returns how many sessions ended.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var expired = new List<HttpMcpSession>();
        foreach (var session in _live.Values)
        {
            lock (_gate)
            {
                session.Record.LastSeenAt = session.LastActivity;
            }

            if (!session.IsBusy && Expired(session.LastActivity) && _live.TryRemove(session.Id, out _))
            {
                expired.Add(session);
            }
        }

        int dropped;
        lock (_gate)
        {
            var stale = _records.Values.Where(r => !_live.ContainsKey(r.Id) && (Expired(r.LastSeenAt) || expired.Any(e => e.Id == r.Id))).Select(r => r.Id).ToList();
            stale.ForEach(id => _records.Remove(id));
            dropped = stale.Count;
        }

        foreach (var session in expired)
        {
            var name = Short(session.Id);
            LogExpired(_logger, name, _options.SessionIdleTimeout);
            Forget(session.Id);
            await session.DisposeAsync();
        }

        if (dropped > 0 || !_live.IsEmpty)
        {
            await SaveAsync(cancellationToken);
        }

        return expired.Count;
    }

    /// <summary>At shutdown: records the latest activity and closes every session; the records stay, so the next start recognizes them.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (var session in _live.Values)
            {
                session.Record.LastSeenAt = session.LastActivity;
            }
        }

        await SaveAsync(CancellationToken.None);

        foreach (var id in _live.Keys)
        {
            if (_live.TryRemove(id, out var session))
            {
                Forget(id);
                await session.DisposeAsync();
            }
        }
    }

    private async Task<HttpMcpSession> RestoreAsync(SessionRecord record)
    {
        var parameters = record.Initialize!.Deserialize((System.Text.Json.Serialization.Metadata.JsonTypeInfo<InitializeRequestParams>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams)))!;
        // A new store: events from before the restart are gone, and its epoch keeps their ids from matching.
        var events = NewEventStore(record.Id);
        var transport = new StreamableHttpServerTransport(_loggers) { SessionId = record.Id, EventStreamStore = events };
        await transport.HandleInitializeRequestAsync(parameters);

        // A fresh options object: the known client is this session's, not every session's.
        var options = _serverOptionsFactory.Create(Options.DefaultName);
        options.KnownClientInfo = parameters.ClientInfo;
        options.KnownClientCapabilities = parameters.Capabilities;
        if (record is { BoundSession: { } bound, BoundWorkspace: { } workspace })
        {
            _connections.Restore(record.Id, new ResolvedBinding(workspace, bound));
        }

        var session = new HttpMcpSession(record, transport, events, _time);
        session.Start(McpServer.Create(transport, options, _loggers, _services));
        _live[record.Id] = session;
        var name = Short(record.Id);
        LogRestored(_logger, name, record.ClientName ?? "unnamed client", record.LastSeenAt);
        return session;
    }

    private async Task RememberAsync(SessionRecord record, InitializeRequestParams parameters, CancellationToken cancellationToken)
    {
        var initialize = JsonSerializer.SerializeToNode(parameters, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeRequestParams)));
        lock (_gate)
        {
            record.Initialize = initialize;
            record.ProtocolVersion = parameters.ProtocolVersion;
            record.ClientName = parameters.ClientInfo?.Name;
            record.ClientVersion = parameters.ClientInfo?.Version;
        }

        await SaveAsync(cancellationToken);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        byte[] content;
        lock (_gate)
        {
            content = SessionRecordFile.Serialize([.. _records.Values.Where(r => r.Initialize is not null)]);
        }

        try
        {
            await _file.SaveAsync(content, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Serving goes on; only surviving a restart is lost until a later write succeeds.
            LogSaveFailed(_logger, _file.Path, ex.Message);
        }
    }

    private void Forget(string id)
    {
        _connections.Forget(id);
        _servers.Forget(id);
    }

    private SessionEventStore? NewEventStore(string sessionId) =>
        _options.ResumableEventsPerSession > 0 ? new SessionEventStore(sessionId, _options.ResumableEventsPerSession, _options.StreamRetryInterval) : null;

    private bool Expired(DateTimeOffset lastSeen) => _time.GetUtcNow() - lastSeen >= _options.SessionIdleTimeout;

    // 32 random bytes, base64url: unguessable, and visible ASCII as the specification requires.
    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    // Logs name a session by a prefix: enough to follow it, not enough to use it.
    private static string Short(string id) => id[..Math.Min(8, id.Length)];

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP session {Session}… started for {Client}")]
    private static partial void LogCreated(ILogger logger, string session, string client);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP session {Session}… of {ClientName} recreated from its record (last seen {LastSeen:u})")]
    private static partial void LogRestored(ILogger logger, string session, string clientName, DateTimeOffset lastSeen);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP session {Session}… ended by its client")]
    private static partial void LogEnded(ILogger logger, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP session {Session}… ended after {Timeout} without use")]
    private static partial void LogExpired(ILogger logger, string session, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a new HTTP session: {Max} sessions are open (Http:MaxSessions)")]
    private static partial void LogFull(ILogger logger, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The HTTP session file {Path} could not be written: {Reason}; sessions will not survive a restart")]
    private static partial void LogSaveFailed(ILogger logger, string path, string reason);
}
