using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Mcp.Tools;
using TaskOrchestrator.Server.Http.Metrics;
using TaskOrchestrator.Server.Operations;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>Builds the host that serves MCP: configuration, logging, store, tools and a transport.</summary>
internal static class OrchestratorHost
{
    /// <summary>
    /// A host serving over the streams the transport delegate configures (stdio for <c>serve</c>,
    /// in-memory pipes in tests).
    /// </summary>
    public static IHost Build(ServeSettings settings, Serilog.ILogger logger, Action<IMcpServerBuilder> transport)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        Register(builder, settings, logger, transport);
        return builder.Build();
    }

    /// <summary>
    /// What every host of the orchestrator registers, whatever carries the protocol: configuration
    /// (the --config file, TASK_ORCHESTRATOR__ variables, the command line's overrides), logging,
    /// options, the store, the tools and the worker's operations. The stdio host adds its transport
    /// through <paramref name="transport"/>; the HTTP host creates one server per session itself.
    /// </summary>
    public static IMcpServerBuilder Register(IHostApplicationBuilder builder, ServeSettings settings, Serilog.ILogger logger, Action<IMcpServerBuilder> transport)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(transport);
        var overrides = new Dictionary<string, string?>();
        if (settings.Workspace is not null)
        {
            overrides[$"{OrchestratorOptions.Section}:{nameof(OrchestratorOptions.Workspace)}"] = settings.Workspace;
        }

        if (settings.Tools is not null)
        {
            overrides[$"{OrchestratorOptions.Section}:{nameof(OrchestratorOptions.Tools)}"] = settings.Tools;
        }

        if (settings.ConfigFile is not null)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(settings.ConfigFile), optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables("TASK_ORCHESTRATOR__");
        builder.Configuration.AddInMemoryCollection(overrides);

        builder.Services.AddLogging(logging => logging.AddSerilog(logger, dispose: false));
        builder.Services.AddOptions<OrchestratorOptions>().BindStrictly(OrchestratorOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<AgentOptions>().BindStrictly(AgentOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<SloOptions>().BindStrictly(SloOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OrchestratorOptions>, OrchestratorOptionsValidator>();
        StoreRegistration.AddConfiguredStore(builder);
        builder.Services.AddOrchestratorServices();
        builder.Services.AddWorkerOperations();
        builder.Services.AddOrchestratorMetrics();

        var mcp = builder.Services.AddMcpServer(options =>
        {
            options.ServerInfo = ServerIdentity.Implementation;
            options.ServerInstructions = ServerIdentity.Instructions;
        });
        transport(mcp);
        mcp.WithOrchestratorTools();
        return mcp;
    }
}
