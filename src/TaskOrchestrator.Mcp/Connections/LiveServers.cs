using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Connections;

/// <summary>
/// The MCP servers (one per connection) this process can send notifications through: the single
/// server of a stdio or stream transport, and the sessions of other transports seen by tool calls.
/// </summary>
public sealed class LiveServers
{
    private readonly IServiceProvider _services;
    private readonly ConcurrentDictionary<string, McpServer> _sessions = new(StringComparer.Ordinal);

    /// <summary>Creates the registry over the host's services.</summary>
    public LiveServers(IServiceProvider services)
    {
        _services = services;
    }

    /// <summary>Remembers the server of a connection that has a session id.</summary>
    public void Track(McpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.SessionId is { } sessionId)
        {
            _sessions.TryAdd(sessionId, server);
        }
    }

    /// <summary>Forgets a session that ended.</summary>
    public void Forget(string sessionId) => _sessions.TryRemove(sessionId, out _);

    /// <summary>The servers whose client has completed the handshake.</summary>
    public IReadOnlyList<McpServer> Initialized()
    {
        var servers = new List<McpServer>();

        // A stdio or stream transport registers its one server as a service; other transports do not.
        if (_services.GetService<McpServer>() is { ClientInfo: not null } single)
        {
            servers.Add(single);
        }

        servers.AddRange(_sessions.Values.Where(s => s.ClientInfo is not null));
        return servers;
    }
}
