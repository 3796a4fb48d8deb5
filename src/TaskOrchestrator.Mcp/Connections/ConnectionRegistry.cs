using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Connections;

/// <summary>
/// The state of each live connection. The SDK hands tools a fresh <see cref="McpServer"/> wrapper per
/// request, so the connection is identified by something stable: its MCP session id where the
/// transport has one (HTTP), else the service provider of its server, of which a stdio or stream
/// server has exactly one.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, ConnectionState> _bySession = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ResolvedBinding> _restored = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<object, ConnectionState> _byServer = [];
    private readonly TimeProvider _time;
    private ResolvedBinding? _carried;

    /// <summary>Creates the registry; connections are stamped with <paramref name="time"/>.</summary>
    public ConnectionRegistry(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>Every live connection this process knows.</summary>
    public IReadOnlyList<ConnectionState> All => [.. _bySession.Values, .. _byServer.Select(p => p.Value)];

    /// <summary>The state of the connection <paramref name="server"/> serves.</summary>
    public ConnectionState For(McpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return server.SessionId is { } sessionId
            ? _bySession.GetOrAdd(sessionId, _ => Create(server))
            : _byServer.GetValue((object?)server.Services ?? server, _ => Create(server));
    }

    /// <summary>
    /// A session binding carried over from the previous worker by the supervisor: the stdio connection
    /// this worker serves is the same client connection, so its current session stays current.
    /// </summary>
    public void CarryOver(ResolvedBinding binding) => _carried = binding;

    /// <summary>The state of the connection with MCP session id <paramref name="sessionId"/>, once it has made a call.</summary>
    public ConnectionState? Find(string sessionId) => _bySession.TryGetValue(sessionId, out var state) ? state : null;

    /// <summary>
    /// The binding an HTTP session had before the server restarted: applied when the recreated session
    /// makes its first call, so that its current session stays current.
    /// </summary>
    public void Restore(string sessionId, ResolvedBinding binding) => _restored[sessionId] = binding;

    /// <summary>Forgets a connection that has ended.</summary>
    public void Forget(string sessionId)
    {
        _bySession.TryRemove(sessionId, out _);
        _restored.TryRemove(sessionId, out _);
    }

    private ConnectionState Create(McpServer server)
    {
        var now = _time.GetUtcNow();
        return new ConnectionState
        {
            ClientInfo = server.ClientInfo is { } info ? $"{info.Name} {info.Version}" : null,
            ClientName = server.ClientInfo?.Name,
            ClientVersion = server.ClientInfo?.Version,
            ProtocolVersion = server.NegotiatedProtocolVersion,
            ConnectedAt = now,
            LastActivityAt = now,
            SessionId = server.SessionId,
            Binding = server.SessionId is { } sessionId
                ? (_restored.TryRemove(sessionId, out var restored) ? restored : null)
                : Interlocked.Exchange(ref _carried, null),
        };
    }
}
