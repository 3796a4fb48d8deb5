using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Core.Tasks.Execution;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Core.Tasks.Removal;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Filters;
using TaskOrchestrator.Mcp.Json;
using TaskOrchestrator.Mcp.Metrics;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
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
        services.TryAddSingleton<OrchestratorMeter>();
        services.TryAddSingleton(sp => new ClaimMetrics(sp.GetRequiredService<OrchestratorMeter>().Meter));
        services.TryAddSingleton<TaskClaimer>();
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
        services.TryAddSingleton<SloTracker>();
        services.AddOptions<SloOptions>(); // bound to configuration by the host
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SloOptions>, SloOptionsValidator>());
        services.AddOptions<OrchestratorOptions>(); // bound to configuration by the host
        services.AddOptions<AgentOptions>(); // bound to configuration by the host
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value.ToPolicy());
        services.AddOperations();
        return services;
    }

    /// <summary>
    /// Instance identity, registration and heartbeats, stale-instance cleanup, in-flight tracking,
    /// health checks and shutdown assessment. Options are bound to configuration by the host.
    /// </summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.TryAddSingleton<ProcessInspector>();
        services.TryAddSingleton(sp => InstanceIdentity.FromEnvironment(
            Environment.GetEnvironmentVariable,
            sp.GetRequiredService<IdGenerator>(),
            sp.GetRequiredService<ProcessInspector>(),
            InstanceIdentity.EntryVersion()));
        services.TryAddSingleton<WorkerLifecycle>();
        services.TryAddSingleton<InFlightCalls>();
        services.TryAddSingleton<LiveServers>();
        services.TryAddSingleton<StaleInstanceSweeper>();
        services.TryAddSingleton<InstanceRegistrar>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkspaceObserver, InstanceRegistrar>(sp => sp.GetRequiredService<InstanceRegistrar>()));
        services.TryAddSingleton<HealthProbe>();
        services.TryAddSingleton<HealthReporter>();
        services.TryAddSingleton<ShutdownAssessor>();
        services.AddOptions<HealthOptions>();
        services.AddOptions<ShutdownOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>());
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
            .WithTools<ClaimTools>(McpJson.Options)
            .WithTools<AgentTools>(McpJson.Options)
            .WithTools<ReportTools>(McpJson.Options)
            .WithTools<MaintenanceTools>(McpJson.Options)
            .WithTools<DependencyTools>(McpJson.Options)
            .WithTools<HealthTools>(McpJson.Options)
            .WithTools<RestartTools>(McpJson.Options)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallFilter.Wrap));

        // Runs after the SDK has built the tool collection from the attributes above.
        builder.Services.PostConfigure<McpServerOptions>(options =>
        {
            if (options.ToolCollection is { } tools)
            {
                InputSchemas.Simplify(tools);
                OutputSchemas.AddErrorBranch(tools);
                ListedSchemaTool.Apply(tools);
            }
        });

        // The tool profile: tools outside it are neither listed nor callable.
        builder.Services.AddOptions<McpServerOptions>().PostConfigure<IOptions<OrchestratorOptions>>((options, orchestrator) =>
        {
            var profile = orchestrator.Value.Tools;
            if (options.ToolCollection is { } tools && ToolProfiles.IsKnown(profile))
            {
                foreach (var tool in tools.Where(t => !ToolProfiles.Includes(profile, t.ProtocolTool.Name)).ToList())
                {
                    tools.Remove(tool);
                }
            }
        });
        return builder;
    }
}
