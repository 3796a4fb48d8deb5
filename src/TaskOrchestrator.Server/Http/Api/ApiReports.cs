using Microsoft.Extensions.DependencyInjection;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Server.Http.Api;

/// <summary>
/// The tool classes whose reports the API returns, built once from the container: they hold no state
/// of their own, and building their reports through them keeps one implementation of each.
/// </summary>
internal sealed class ApiReports
{
    public ApiReports(IServiceProvider services)
    {
        Status = ActivatorUtilities.CreateInstance<ReportTools>(services);
        Agents = ActivatorUtilities.CreateInstance<AgentTools>(services);
        Restarts = ActivatorUtilities.CreateInstance<RestartTools>(services);
    }

    /// <summary>orchestrator_get_status's report.</summary>
    public ReportTools Status { get; }

    /// <summary>orchestrator_agent_status's report.</summary>
    public AgentTools Agents { get; }

    /// <summary>orchestrator_restart_status's report.</summary>
    public RestartTools Restarts { get; }
}
