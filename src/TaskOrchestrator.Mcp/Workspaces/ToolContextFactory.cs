using ModelContextProtocol.Server;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Instances;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>Builds the <see cref="ToolContext"/> of a call.</summary>
public sealed class ToolContextFactory
{
    private readonly ConnectionRegistry _connections;
    private readonly WorkspaceResolver _resolver;
    private readonly WorkspaceRegistry _workspaces;
    private readonly InstanceIdentity _identity;

    /// <summary>Creates the factory; work started by calls is held through <paramref name="identity"/>'s holder id.</summary>
    public ToolContextFactory(ConnectionRegistry connections, WorkspaceResolver resolver, WorkspaceRegistry workspaces, InstanceIdentity identity)
    {
        _connections = connections;
        _resolver = resolver;
        _workspaces = workspaces;
        _identity = identity;
    }

    /// <summary>Resolves and opens the workspace of a call and picks its session.</summary>
    public async Task<ToolContext> ForCallAsync(McpServer server, string? workingDirectory, string? sessionId, CancellationToken cancellationToken)
    {
        var connection = _connections.For(server);
        var resolved = await _resolver.ResolveAsync(server, connection, workingDirectory, cancellationToken);
        var workspace = await _workspaces.OpenAsync(resolved.Root, cancellationToken);

        // The connection's current session applies only in the workspace it was bound in.
        var current = connection.Binding is { } binding && binding.WorkspaceRoot == resolved.Root ? binding.SessionId : null;
        return new ToolContext(workspace, resolved, connection, sessionId ?? current, _identity.HolderId);
    }

    /// <summary>
    /// Makes <paramref name="sessionId"/> the connection's current session in <paramref name="workspaceRoot"/>.
    /// A supervised worker tells its supervisor, which hands the binding to the next worker.
    /// </summary>
    public async Task BindAsync(McpServer server, string workspaceRoot, string sessionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        _connections.For(server).Binding = new ResolvedBinding(workspaceRoot, sessionId);
        if (_identity.Supervised)
        {
            await server.SendNotificationAsync(
                SupervisorProtocol.BindingMethod,
                new BindingParams(workspaceRoot, sessionId),
                SupervisorJson.Default.Options,
                cancellationToken);
        }
    }
}
