using System.Runtime.CompilerServices;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Mcp.Connections;

/// <summary>The state of each live connection, dropped with the connection's server object.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConditionalWeakTable<McpServer, ConnectionState> _states = [];

    /// <summary>The state of the connection <paramref name="server"/> serves.</summary>
    public ConnectionState For(McpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return _states.GetValue(server, s => new ConnectionState
        {
            ClientInfo = s.ClientInfo is { } info ? $"{info.Name} {info.Version}" : null,
        });
    }
}
