using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>An open workspace: its store and its specialist roles.</summary>
public sealed class WorkspaceContext
{
    private readonly Lock _gate = new();
    private RoleCatalog _roles = RoleCatalog.BuiltIn;
    private DateTime _rolesWrittenAt = DateTime.MinValue;

    internal WorkspaceContext(string root, IOrchestratorStore store)
    {
        Root = root;
        Store = store;
        RolesPath = Path.Combine(root, ".task-orchestrator", "roles.json");
    }

    /// <summary>The canonical workspace folder.</summary>
    public string Root { get; }

    /// <summary>The workspace's store.</summary>
    public IOrchestratorStore Store { get; }

    /// <summary>Where the workspace's role overrides live.</summary>
    public string RolesPath { get; }

    /// <summary>
    /// The current roles: the built-in roster with the workspace's roles.json applied. The file is
    /// re-read when it changes, so edits take effect on the next call without a restart; a malformed
    /// file fails the call with an error naming the problem.
    /// </summary>
    public RoleCatalog Roles()
    {
        var info = new FileInfo(RolesPath);
        var writtenAt = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue;
        lock (_gate)
        {
            if (writtenAt == _rolesWrittenAt)
            {
                return _roles;
            }
        }

        var roles = info.Exists ? RoleCatalog.WithOverrides(File.ReadAllText(RolesPath), RolesPath) : RoleCatalog.BuiltIn;
        lock (_gate)
        {
            _roles = roles;
            _rolesWrittenAt = writtenAt;
            return roles;
        }
    }
}
