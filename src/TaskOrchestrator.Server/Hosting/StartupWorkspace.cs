using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// The workspace known before any client connects (for the log file): --workspace, then
/// TASK_ORCHESTRATOR_WORKSPACE, then the git root of the current directory, then the current
/// directory. Calls may still pick another one (their working_directory, the client's roots).
/// </summary>
internal static class StartupWorkspace
{
    /// <summary>
    /// Resolves the startup workspace for <paramref name="program"/> (the prefix of its messages), or
    /// writes to stderr why it cannot and returns null: the caller then exits with code 2.
    /// </summary>
    public static async Task<string?> ResolveOrReportAsync(string? option, string program)
    {
        try
        {
            return Resolve(option);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{program}: {ex.Message} Pass --workspace with an existing folder.");
            return null;
        }
    }

    public static string Resolve(string? option)
    {
        var current = Directory.GetCurrentDirectory();
        var named = option ?? Environment.GetEnvironmentVariable(WorkspaceResolver.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            var canonical = PathResolver.Canonicalize(named, current);
            return Directory.Exists(canonical)
                ? canonical
                : throw new DirectoryNotFoundException($"The workspace folder '{named}' does not exist.");
        }

        var resolved = PathResolver.Canonicalize(current, "/");
        return WorkspaceResolver.FindGitRoot(resolved) ?? resolved;
    }
}
