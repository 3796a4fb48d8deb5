using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Mcp.Agents;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Logging;
using TaskOrchestrator.Server.Supervision;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>serve</c>: the supervisor owns the client's stdio and runs the orchestrator as a worker child
/// (the hidden <c>serve-worker</c> command), replacing it on request or when it crashes without the client noticing.
/// </summary>
internal static class SuperviseCommand
{
    public static async Task<int> RunAsync(ServeSettings settings, string? workerPath, CancellationToken cancellationToken)
    {
        if (await StartupWorkspace.ResolveOrReportAsync(settings.Workspace, "task-orchestrator") is not { } workspace)
        {
            return 2;
        }

        var logFolder = settings.LogFile ? LogSetup.FolderFor(workspace) : null;
        await using var logger = LogSetup.Create(settings.LogLevel, logFolder);
        var log = logger.ForContext("SourceContext", "Supervisor");

        IConfiguration configuration;
        SupervisorOptions options;
        HealthOptions health;
        SqliteStoreOptions storage;
        TaskOrchestrator.Core.Storage.IStoreProvider store;
        try
        {
            configuration = LoadConfiguration(settings.ConfigFile);
            options = Bind<SupervisorOptions>(configuration, SupervisorOptions.Section);
            health = Bind<HealthOptions>(configuration, HealthOptions.Section, new HealthOptionsValidator());
            storage = Bind<SqliteStoreOptions>(configuration, "Storage:Sqlite", new SqliteStoreOptionsValidator());
            store = StoreRegistration.CreateProvider(configuration, storage, TimeProvider.System);

            // Checked here as every worker checks it: a setting only workers refuse would make each of
            // them exit at start, a crash loop instead of one clear refusal.
            Bind<OrchestratorOptions>(configuration, OrchestratorOptions.Section, new OrchestratorOptionsValidator());
            Bind<AgentOptions>(configuration, AgentOptions.Section, new AgentOptionsValidator());
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException or ValidationException or FileNotFoundException)
        {
            log.Fatal("Invalid configuration: {Reason}", ex.Message);
            return 2;
        }

        options.WorkerPath = workerPath ?? options.WorkerPath;
        var identity = new SupervisorIdentity(new IdGenerator(TimeProvider.System).New("inst"), Environment.ProcessId, new ProcessInspector().CurrentStartTicks());
        var now = TimeProvider.System.GetUtcNow();
        var row = new ServerInstanceRecord
        {
            Id = identity.InstanceId,
            WorkspaceId = string.Empty,
            Role = InstanceRole.Supervisor,
            Host = Environment.MachineName,
            ProcessId = identity.ProcessId,
            ProcessStartedAt = identity.ProcessStartTicks,
            Executable = Environment.ProcessPath ?? "task-orchestrator",
            Version = BuildInfo.Version,
            StartedAt = now,
            HeartbeatAt = now,
        };

        log.Information("task-orchestrator {Version} supervisor {InstanceId} serving MCP over stdio; startup workspace {Workspace}; log folder {LogFolder}", BuildInfo.Version, identity.InstanceId, workspace, logFolder ?? "(stderr only)");
        await using var history = new SupervisorHistory(store, workspace, row, health.HeartbeatInterval, log, TimeProvider.System);
        using var client = new ClientConnection(Console.OpenStandardOutput());
        using var supervisor = new Supervisor(
            new SupervisorSettings(settings.Workspace, workspace, settings.ConfigFile, settings.LogLevel, logFolder, identity, settings.Tools),
            options,
            client,
            history,
            log,
            TimeProvider.System);
        var exitCode = await supervisor.RunAsync(Console.OpenStandardInput(), cancellationToken);
        log.Information("task-orchestrator supervisor stopped");
        return exitCode;
    }

    internal static IConfiguration LoadConfiguration(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        return builder.AddEnvironmentVariables("TASK_ORCHESTRATOR__").Build();
    }

    internal static T Bind<T>(IConfiguration configuration, string section, IValidateOptions<T>? validator = null)
        where T : class, new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (validator?.Validate(null, options) is { Failed: true } result)
        {
            throw new ValidationException(result.FailureMessage);
        }

        return options;
    }
}
