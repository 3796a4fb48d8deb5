namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>A workspace folder and the rule that chose it.</summary>
/// <param name="Root">The canonical folder.</param>
/// <param name="Source">
/// working_directory, session (bound by this connection's session), --workspace,
/// TASK_ORCHESTRATOR_WORKSPACE, mcp_root, git_root or current_directory.
/// </param>
public sealed record ResolvedWorkspace(string Root, string Source);
