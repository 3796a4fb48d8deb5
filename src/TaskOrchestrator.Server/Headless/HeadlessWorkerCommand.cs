using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Roles;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Workspaces;
using TaskOrchestrator.Server.Cli;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Logging;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// Runs a headless worker: opens the workspace's store in this process (as another server process
/// would), registers a server instance row and heartbeats it (so that other processes see it alive,
/// and see it dead when it is killed), works until stopped, then marks the row stopped and
/// checkpoints. Exit codes: 0 after a clean stop, 1 when the worker failed, 2 for a refused setting.
/// </summary>
internal static class HeadlessWorkerCommand
{
    public static async Task<int> RunAsync(HeadlessWorkerSettings settings, CancellationToken cancellationToken)
    {
        if (await StartupWorkspace.ResolveOrReportAsync(settings.Workspace, "task-orchestrator worker") is not { } root)
        {
            return 2;
        }

        await using var serilog = LogSetup.Create(settings.LogLevel, LogSetup.FolderFor(root));
        var log = serilog.ForContext("SourceContext", "Worker");
        IStoreProvider storage;
        var changes = new StoreChangeSignal();
        HealthOptions health;
        AgentOptions agents;
        try
        {
            var configuration = SuperviseCommand.LoadConfiguration(settings.ConfigFile);
            storage = StoreRegistration.CreateProvider(configuration, SuperviseCommand.Bind<SqliteStoreOptions>(configuration, "Storage:Sqlite", new SqliteStoreOptionsValidator()), TimeProvider.System, changes);
            health = SuperviseCommand.Bind<HealthOptions>(configuration, HealthOptions.Section, new HealthOptionsValidator());
            agents = SuperviseCommand.Bind<AgentOptions>(configuration, AgentOptions.Section, new AgentOptionsValidator());
            RequireRoles(root, settings.Specialists);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException or ValidationException or FileNotFoundException)
        {
            log.Fatal("Invalid configuration: {Reason}", ex.Message);
            return 2;
        }
        catch (OrchestratorException ex)
        {
            log.Fatal("{Reason} Allowed: {Allowed}. {Hint}", ex.Error.Message, string.Join(", ", ex.Error.Allowed ?? []), ex.Error.Hint);
            return 2;
        }

        await using var services = Compose(serilog, storage, health, agents);
        var identity = services.GetRequiredService<InstanceIdentity>();
        var registrar = services.GetRequiredService<InstanceRegistrar>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        WorkspaceContext workspace;
        try
        {
            // Opening registers this process's instance row and sweeps instances found dead.
            workspace = await services.GetRequiredService<WorkspaceRegistry>().OpenAsync(root, cancellationToken);
        }
        catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
        {
            log.Fatal("Could not open the store of workspace {Workspace}: {Reason}", root, HealthProbe.Describe(ex));
            return 1;
        }

        log.Information(
            "task-orchestrator {Version} worker {AgentId} (instance {InstanceId}) in {Workspace}: roles {Specialists}, types {TaskTypes}, {Concurrency} at once, lease {Lease} s; command: {Command}",
            BuildInfo.Version,
            settings.AgentId,
            identity.InstanceId,
            root,
            string.Join(", ", settings.Specialists),
            settings.TaskTypes.Count == 0 ? "any" : string.Join(", ", settings.TaskTypes.Select(WireNames.Of)),
            settings.Concurrency,
            settings.Lease.TotalSeconds,
            settings.Command);

        int exitCode = 0;
        using (var worker = new HeadlessWorker(
            settings,
            workspace,
            services.GetRequiredService<TaskClaimer>(),
            services.GetRequiredService<TaskCompleter>(),
            services.GetRequiredService<TaskEditor>(),
            services.GetRequiredService<AgentHealthPolicy>(),
            registrar,
            identity,
            health.HeartbeatInterval,
            TimeProvider.System,
            loggers.CreateLogger("Worker"),
            changes))
        {
            try
            {
                await worker.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.Fatal(ex, "The worker failed; its running tasks were stopped and released");
                exitCode = 1;
            }
        }

        await FinishAsync(workspace.Store, registrar, exitCode == 0 ? "worker stopped gracefully" : "worker failed", log);
        log.Information("task-orchestrator worker {AgentId} stopped", settings.AgentId);
        return exitCode;
    }

    // The claims are the agent's; the instance row tells other processes that this process is alive,
    // so that when it is killed they find it dead and its tasks come back once their leases lapse.
    private static ServiceProvider Compose(Serilog.ILogger serilog, IStoreProvider storage, HealthOptions health, AgentOptions agents)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSerilog(serilog, dispose: false));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(storage);
        services.AddSingleton(Options.Create(health));
        services.AddSingleton(Options.Create(agents));
        services.AddSingleton(sp => Identity(sp.GetRequiredService<IdGenerator>(), sp.GetRequiredService<ProcessInspector>()));
        services.AddOrchestratorServices();
        return services.BuildServiceProvider();
    }

    // Always its own identity: a worker started from a shell inside a supervised server's environment
    // must not take the supervisor's.
    private static InstanceIdentity Identity(IdGenerator ids, ProcessInspector processes) => new()
    {
        InstanceId = ids.New("inst"),
        Role = InstanceRole.Standalone,
        ProcessId = Environment.ProcessId,
        ProcessStartTicks = processes.CurrentStartTicks(),
        Host = Environment.MachineName,
        Executable = Environment.ProcessPath ?? "task-orchestrator",
        Version = BuildInfo.Version,
        StartedAt = OrchestratorOptions.ProcessStart,
    };

    private static void RequireRoles(string root, IReadOnlyList<string> specialists)
    {
        var path = Path.Combine(root, ".task-orchestrator", "roles.json");
        var roles = File.Exists(path) ? RoleCatalog.WithOverrides(File.ReadAllText(path), path) : RoleCatalog.BuiltIn;
        foreach (var specialist in specialists)
        {
            roles.Require(specialist, "--specialist");
        }
    }

    private static async Task FinishAsync(IOrchestratorStore store, InstanceRegistrar registrar, string detail, Serilog.ILogger log)
    {
        try
        {
            await registrar.SetStateAsync(store, InstanceState.Stopped, detail, includeSupervisor: false, CancellationToken.None);
            await store.Diagnostics.CheckpointAsync(truncate: true, CancellationToken.None);
        }
        catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
        {
            log.Warning("Could not mark the instance stopped or checkpoint: {Reason}", HealthProbe.Describe(ex));
        }
    }
}
