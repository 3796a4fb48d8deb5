using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using TaskOrchestrator.Mcp.Connections;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Logging;

namespace TaskOrchestrator.Server.Cli;

/// <summary>Runs the MCP server over stdio until the client closes stdin or the process is signalled.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(ServeSettings settings, CancellationToken cancellationToken)
    {
        if (await StartupWorkspace.ResolveOrReportAsync(settings.Workspace, "task-orchestrator") is not { } workspace)
        {
            return 2;
        }

        var logFolder = settings.LogFile ? LogSetup.FolderFor(workspace) : null;
        await using var logger = LogSetup.Create(settings.LogLevel, logFolder);
        logger.Information("task-orchestrator {Version} serving MCP over stdio; startup workspace {Workspace}; log folder {LogFolder}", BuildInfo.Version, workspace, logFolder ?? "(stderr only)");
        try
        {
            using var host = OrchestratorHost.Build(settings, logger, mcp => mcp.WithUtf8StdioTransport());
            CarryOverBinding(host.Services, logger);
            await host.RunAsync(cancellationToken);
            logger.Information("task-orchestrator stopped");
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            logger.Fatal("Invalid configuration: {Failures}", string.Join("; ", ex.Failures));
            return 2;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.Fatal(ex, "task-orchestrator failed");
            return 1;
        }
    }

    // A worker replacing another keeps the session the client made current on its connection.
    private static void CarryOverBinding(IServiceProvider services, Serilog.ILogger logger)
    {
        if (Environment.GetEnvironmentVariable(SupervisorProtocol.BindingVariable) is not { Length: > 0 } json
            || !services.GetRequiredService<InstanceIdentity>().Supervised)
        {
            return;
        }

        try
        {
            if (JsonSerializer.Deserialize(json, SupervisorJson.Default.BindingParams) is { } binding)
            {
                services.GetRequiredService<ConnectionRegistry>().CarryOver(new ResolvedBinding(binding.WorkspaceRoot, binding.SessionId));
                logger.Information("Session {SessionId} in {Workspace} stays current on the client's connection", binding.SessionId, binding.WorkspaceRoot);
            }
        }
        catch (JsonException ex)
        {
            logger.Warning("Ignored the carried session binding {Binding}: {Reason}", json, ex.Message);
        }
    }

    public static LogEventLevel ParseLevel(string? level) => level?.ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        _ => LogEventLevel.Information,
    };
}
