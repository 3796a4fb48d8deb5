using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Core.Tasks.Removal;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Filters;
using TaskOrchestrator.Mcp.Json;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Tools;
using TaskOrchestrator.Mcp.Validation;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Mcp;

/// <summary>Registers the orchestrator's services and MCP tools. The store provider is registered by the host.</summary>
public static class OrchestratorMcpRegistration
{
    /// <summary>The domain services, workspace handling and metrics the tools use.</summary>
    public static IServiceCollection AddOrchestratorServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdGenerator>();
        services.TryAddSingleton<TaskPlanner>();
        services.TryAddSingleton<TaskEditor>();
        services.TryAddSingleton<TaskExecutor>();
        services.TryAddSingleton<TaskCompleter>();
        services.TryAddSingleton<TaskCanceller>();
        services.TryAddSingleton<TaskDeleter>();
        services.TryAddSingleton<CleanupScanner>();
        services.TryAddSingleton<SessionService>();
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<WorkspaceResolver>();
        services.TryAddSingleton<WorkspaceRegistry>();
        services.TryAddSingleton<ToolContextFactory>();
        services.TryAddSingleton<ToolCallMetrics>();
        services.AddOptions<OrchestratorOptions>(); // bound to configuration by the host
        return services;
    }

    /// <summary>The task and session tools, wrapped by the validating, error-shaping, measuring filter.</summary>
    public static IMcpServerBuilder WithOrchestratorTools(this IMcpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder
            .WithTools<SessionTools>(McpJson.Options)
            .WithTools<TaskTools>(McpJson.Options)
            .WithTools<QueryTools>(McpJson.Options)
            .WithTools<ExecutionTools>(McpJson.Options)
            .WithTools<ReportTools>(McpJson.Options)
            .WithTools<MaintenanceTools>(McpJson.Options)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallFilter.Wrap));

        // Runs after the SDK has built the tool collection from the attributes above.
        builder.Services.PostConfigure<McpServerOptions>(options =>
        {
            if (options.ToolCollection is { } tools)
            {
                InputSchemas.Simplify(tools);
                OutputSchemas.AddErrorBranch(tools);
            }
        });
        return builder;
    }
}
