using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Workspaces;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// Which workspace an API request reads: the server's startup workspace (as the stdio host resolves it:
/// --workspace, TASK_ORCHESTRATOR_WORKSPACE, the git root of the current directory, the current
/// directory), or, with <c>?workspace=</c>, another folder this server already serves. Any other
/// folder is refused: the API must not become a way to open, and so create, a database in an arbitrary
/// folder of the machine.
/// </summary>
internal sealed class ApiWorkspaces
{
    private readonly WorkspaceRegistry _workspaces;
    private readonly InstanceIdentity _identity;
    private readonly Lazy<ResolvedWorkspace> _default;
    private readonly ConnectionState _connection;

    public ApiWorkspaces(WorkspaceResolver resolver, WorkspaceRegistry workspaces, InstanceIdentity identity, TimeProvider time)
    {
        _workspaces = workspaces;
        _identity = identity;
        _default = new Lazy<ResolvedWorkspace>(() => resolver.ConfiguredWorkspace() ?? Unconfigured());
        var now = time.GetUtcNow();
        _connection = new ConnectionState { ClientInfo = ClientName, ClientName = ClientName, ConnectedAt = now, LastActivityAt = now };
    }

    /// <summary>How the API appears where a client is named (never in events: the API only reads).</summary>
    public const string ClientName = "rest-api";

    /// <summary>The startup workspace.</summary>
    public ResolvedWorkspace Default => _default.Value;

    /// <summary>The folders a request may name: the startup workspace, then every other one this process has open.</summary>
    public IReadOnlyList<string> Known =>
        [Default.Root, .. _workspaces.Open.Select(w => w.Root).Where(r => r != Default.Root).Order(StringComparer.Ordinal)];

    /// <summary>Opens the workspace a request reads and wraps it as the tools' call context.</summary>
    public async Task<ToolContext> ForRequestAsync(string? folder, CancellationToken cancellationToken)
    {
        var resolved = Resolve(folder);
        var workspace = await _workspaces.OpenAsync(resolved.Root, cancellationToken);
        return new ToolContext(workspace, resolved, _connection, null, _identity.HolderId);
    }

    private ResolvedWorkspace Resolve(string? folder)
    {
        if (folder is null)
        {
            return Default;
        }

        if (string.IsNullOrWhiteSpace(folder) || folder.Length > 4096 || folder.Contains('\0', StringComparison.Ordinal))
        {
            throw Fail.Invalid(ApiQuery.Workspace, "'workspace' is not a usable folder path.", "Omit it for the server's workspace, or pass one of the folders listed in 'allowed'.", Known);
        }

        string canonical;
        try
        {
            canonical = PathResolver.Canonicalize(folder, Default.Root);
        }
        catch (IOException ex)
        {
            throw Fail.Invalid(ApiQuery.Workspace, $"The path '{folder}' cannot be resolved: {ex.Message}", "Pass one of the folders listed in 'allowed'.", Known);
        }

        if (canonical == Default.Root)
        {
            return Default;
        }

        if (_workspaces.Open.Any(w => w.Root == canonical))
        {
            return new ResolvedWorkspace(canonical, "working_directory");
        }

        throw Fail.With(
            ErrorCodes.NotFound,
            $"This server does not serve the workspace '{folder}'{(canonical != folder ? $" (resolved to '{canonical}')" : string.Empty)}.",
            ApiQuery.Workspace,
            Known,
            "Omit 'workspace' for the server's own workspace, or pass one of the folders listed in 'allowed' (a folder is served once a client has worked in it).");
    }

    private static ResolvedWorkspace Unconfigured()
    {
        var current = PathResolver.Canonicalize(Directory.GetCurrentDirectory(), "/");
        return new ResolvedWorkspace(StartupWorkspace.Resolve(null), WorkspaceResolver.FindGitRoot(current) is null ? "current_directory" : "git_root");
    }
}
