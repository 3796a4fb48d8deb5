using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Mcp.Connections;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>
/// Decides which workspace a call works in, in this order: the call's <c>working_directory</c>, the
/// workspace of the session current on this connection, <c>--workspace</c>, the
/// <c>TASK_ORCHESTRATOR_WORKSPACE</c> variable, the client's first MCP root, the git root of the
/// current directory, and the current directory.
/// </summary>
public sealed partial class WorkspaceResolver
{
    /// <summary>The environment variable naming a workspace.</summary>
    public const string EnvironmentVariable = "TASK_ORCHESTRATOR_WORKSPACE";

    private readonly OrchestratorOptions _options;
    private readonly ILogger<WorkspaceResolver> _logger;
    private readonly Func<string, string?> _environment;
    private readonly Func<string> _currentDirectory;
    private readonly Lazy<ResolvedWorkspace?> _processDefault;

    /// <summary>Creates a resolver reading the process environment and current directory.</summary>
    public WorkspaceResolver(IOptions<OrchestratorOptions> options, ILogger<WorkspaceResolver> logger)
        : this(options, logger, Environment.GetEnvironmentVariable, () => Directory.GetCurrentDirectory())
    {
    }

    /// <summary>Creates a resolver with explicit environment and current-directory sources.</summary>
    public WorkspaceResolver(IOptions<OrchestratorOptions> options, ILogger<WorkspaceResolver> logger, Func<string, string?> environment, Func<string> currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _environment = environment;
        _currentDirectory = currentDirectory;

        // --workspace and the environment variable do not change while the process runs: resolve them
        // once rather than canonicalizing the same path on every call.
        _processDefault = new Lazy<ResolvedWorkspace?>(ResolveProcessDefault);
    }

    /// <summary>Resolves the workspace of a call.</summary>
    public async Task<ResolvedWorkspace> ResolveAsync(McpServer server, ConnectionState connection, string? workingDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(connection);
        if (workingDirectory is not null)
        {
            return new ResolvedWorkspace(RequireDirectory(workingDirectory, "working_directory"), "working_directory");
        }

        if (connection.Binding is { } binding)
        {
            return new ResolvedWorkspace(binding.WorkspaceRoot, "session");
        }

        if (_processDefault.Value is { } configured)
        {
            return configured;
        }

        if (await FirstRootAsync(server, connection, cancellationToken) is { Length: > 0 } root)
        {
            return new ResolvedWorkspace(root, "mcp_root");
        }

        var current = PathResolver.Canonicalize(_currentDirectory(), "/");
        return FindGitRoot(current) is { } gitRoot
            ? new ResolvedWorkspace(gitRoot, "git_root")
            : new ResolvedWorkspace(current, "current_directory");
    }

    /// <summary>
    /// The workspace configured for the whole process (--workspace, then the environment variable),
    /// or null when none is; throws when the configured folder is unusable.
    /// </summary>
    public ResolvedWorkspace? ConfiguredWorkspace() => _processDefault.Value;

    private ResolvedWorkspace? ResolveProcessDefault()
    {
        if (!string.IsNullOrWhiteSpace(_options.Workspace))
        {
            return new ResolvedWorkspace(RequireDirectory(_options.Workspace, "--workspace"), "--workspace");
        }

        return _environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? new ResolvedWorkspace(RequireDirectory(fromEnvironment, EnvironmentVariable), EnvironmentVariable)
            : null;
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds a <c>.git</c> entry.</summary>
    public static string? FindGitRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var git = Path.Combine(directory.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private string RequireDirectory(string path, string field)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Fail.Missing(field, "Pass the absolute path of the project folder to work in.");
        }

        if (path.Length > 4096 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw Fail.Invalid(field, $"'{field}' is not a usable path.", "Pass the absolute path of an existing folder.");
        }

        string canonical;
        try
        {
            canonical = PathResolver.Canonicalize(path, _currentDirectory());
        }
        catch (IOException ex)
        {
            throw Fail.Invalid(field, $"The path '{path}' cannot be resolved: {ex.Message}", "Pass the absolute path of an existing folder.");
        }

        if (!Directory.Exists(canonical))
        {
            throw Fail.Invalid(field, $"The folder '{path}' does not exist{(canonical != path ? $" (resolved to '{canonical}')" : string.Empty)}.", "Pass the absolute path of an existing project folder.");
        }

        return canonical;
    }

    // Roots are deprecated from protocol revision 2026-07-28, but clients negotiating earlier revisions
    // (all current desktop clients) still announce the project folder this way.
#pragma warning disable MCP9005
    private async Task<string?> FirstRootAsync(McpServer server, ConnectionState connection, CancellationToken cancellationToken)
    {
        if (connection.FirstRoot is not null)
        {
            return connection.FirstRoot;
        }

        if (server.ClientCapabilities?.Roots is null)
        {
            connection.FirstRoot = string.Empty;
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RootsTimeout);
            var result = await server.RequestRootsAsync(new ListRootsRequestParams(), timeout.Token);
            var first = result.Roots.FirstOrDefault(r => r.Uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase));
            var path = first is null ? string.Empty : PathResolver.Canonicalize(new Uri(first.Uri).LocalPath, "/");
            connection.FirstRoot = Directory.Exists(path) ? path : string.Empty;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ModelContextProtocol.McpException or UriFormatException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LogRootsUnavailable(_logger, ex.Message);
            connection.FirstRoot = string.Empty;
        }

        return connection.FirstRoot.Length == 0 ? null : connection.FirstRoot;
    }
#pragma warning restore MCP9005

    [LoggerMessage(Level = LogLevel.Warning, Message = "The client announced roots but roots/list failed ({Reason}); falling back to the git root or current directory.")]
    private static partial void LogRootsUnavailable(ILogger logger, string reason);
}
