namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// Refuses serve options that the chosen mode would ignore: serve --http and serve --no-supervisor run
/// in one process, with no supervisor and so no worker to choose. A user who asked for one of them
/// gets an error saying so, not a server that quietly does something else.
/// </summary>
internal static class ServeOptionChecks
{
    /// <summary>The message for the first combination that cannot take effect, or null when there is none.</summary>
    public static string? Conflict(bool http, bool urls, bool workerPath, bool noSupervisor)
    {
        if (http && workerPath)
        {
            return "task-orchestrator: --worker-path does not apply to --http. It names the build a stdio supervisor runs as its worker, and serve --http runs in this one process without a supervisor. To serve HTTP from another build, run that build's 'task-orchestrator serve --http'; to serve stdio with that worker, drop --http.";
        }

        if (http && noSupervisor)
        {
            return "task-orchestrator: --no-supervisor does not apply to --http: serve --http always runs in this one process without a supervisor. Drop --no-supervisor.";
        }

        if (noSupervisor && workerPath)
        {
            return "task-orchestrator: --worker-path does not apply to --no-supervisor. It names the build a supervisor runs as its worker, and --no-supervisor serves from this process without one. Drop --no-supervisor to keep the supervisor, or drop --worker-path.";
        }

        if (urls && !http)
        {
            return "task-orchestrator: --urls applies to --http only; add --http to serve over HTTP.";
        }

        return null;
    }
}
