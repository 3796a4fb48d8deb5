using System.CommandLine;
using TaskOrchestrator.Mcp.Operations;
using TaskOrchestrator.Mcp.Tools;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Http;
using TaskOrchestrator.Server.Supervision;

namespace TaskOrchestrator.Server.Cli;

/// <summary>The command line: <c>task-orchestrator [serve] [--workspace DIR] [--config FILE] [--log-level LEVEL] [--worker-path PATH] [--no-supervisor] [--tools core|standard|all] [--store sqlite|postgres] [--connection-string CS] [--http [--urls URLS]]</c>, <c>doctor</c>, <c>token</c>, <c>worker</c> (a headless worker), <c>migrate-store</c>, <c>backup</c>, <c>restore</c>, and the hidden <c>serve-worker</c>.</summary>
internal static class CommandLine
{
    private const string StoreOption = "--store";
    private const string ConnectionStringOption = "--connection-string";

    /// <summary>Hands the store options to <see cref="StoreRegistration"/> before any command runs.</summary>
    public static void ApplyStoreOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.Errors.Count == 0)
        {
            StoreRegistration.ApplyCommandLine(parse.GetValue<string?>(StoreOption), parse.GetValue<string?>(ConnectionStringOption));
        }
    }

    public static RootCommand Build()
    {
        var workspace = new Option<string?>("--workspace", "-w")
        {
            Description = "Project folder whose tasks to serve (default: TASK_ORCHESTRATOR_WORKSPACE, then the client's first root, then the git root of the current directory, then the current directory).",
            Recursive = true,
        };
        var config = new Option<string?>("--config")
        {
            Description = "JSON configuration file (sections 'Orchestrator', 'Storage:Sqlite', 'Health', 'Agents', 'Shutdown', 'Supervisor' and 'Http'; see docs/reference.md).",
            Recursive = true,
        };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "Minimum log level: trace, debug, information, warning or error. Logs go to stderr and to <workspace>/.task-orchestrator/logs.",
            DefaultValueFactory = _ => "information",
            Recursive = true,
        };
        logLevel.AcceptOnlyFromAmong("trace", "debug", "information", "warning", "error");

        var workerPath = new Option<string?>("--worker-path")
        {
            Description = "The server build the supervisor runs as its worker: a task-orchestrator executable, its .dll, or a folder (or symlink to one) holding it. Read again at every restart, so pointing a symlink at a new build and restarting upgrades the server. Default: TASK_ORCHESTRATOR_WORKER_PATH, then Supervisor:WorkerPath, then this build.",
        };
        var tools = new Option<string?>("--tools")
        {
            Description = "Which tools clients see: core (the minimum loop, 10 tools), standard (core plus editing, sessions, synthesis, maintenance, agents, 22) or all (default; also Orchestrator:Tools). See docs/reference.md.",
        };
        tools.AcceptOnlyFromAmong([.. ToolProfiles.Names]);
        var store = new Option<string?>(StoreOption)
        {
            Description = "Where workspaces are stored: sqlite (default; a database file in each workspace) or postgres (one shared PostgreSQL database for a team's server instances). Also TASK_ORCHESTRATOR_STORE or Storage:Provider.",
            Recursive = true,
        };
        store.AcceptOnlyFromAmong(StorageOptions.Providers.ToArray());
        var connectionString = new Option<string?>(ConnectionStringOption)
        {
            Description = "The PostgreSQL connection string (Host=…;Port=…;Database=…;Username=…;Password=…) for --store postgres. Prefer TASK_ORCHESTRATOR_CONNECTION_STRING or Storage:Postgres:ConnectionString for passwords: a command line is visible to other users.",
            Recursive = true,
        };
        var noSupervisor = new Option<bool>("--no-supervisor")
        {
            Description = "Serve from this process alone, without a supervisor: no restart without the client noticing and no crash recovery.",
        };
        var http = new Option<bool>("--http")
        {
            Description = $"Serve MCP over Streamable HTTP at /mcp (with /health and /ready) instead of stdio, from this one process. Listens on http://127.0.0.1:{HttpOptions.DefaultPort} unless --urls or Http:Urls say otherwise; see docs/operations.md for tokens and origins.",
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"With --http: where to listen, http://HOST:PORT (';' between several); HOST is an IP address, localhost or *. Default http://127.0.0.1:{HttpOptions.DefaultPort}. Any address other than loopback requires Http:TokenHashes.",
        };

        var serve = new Command("serve", "Serve MCP over stdio (the default command): a supervisor owns stdio and runs the orchestrator as a worker it can restart without the client noticing. Stdout carries only the protocol. With --http: serve Streamable HTTP instead.")
        {
            workerPath,
            noSupervisor,
            tools,
            http,
            urls,
        };
        var root = new RootCommand("TaskOrchestrator: a durable MCP server that orchestrates tasks for LLM agents.")
        {
            workspace,
            config,
            logLevel,
            store,
            connectionString,
            workerPath,
            noSupervisor,
            tools,
            http,
            urls,
            serve,
        };

        Func<ParseResult, CancellationToken, Task<int>> run = (parse, cancellationToken) =>
        {
            var settings = new ServeSettings(parse.GetValue(workspace), parse.GetValue(config), ServeCommand.ParseLevel(parse.GetValue(logLevel)), Tools: parse.GetValue(tools));
            if (ServeOptionChecks.Conflict(parse.GetValue(http), parse.GetValue(urls) is not null, parse.GetValue(workerPath) is not null, parse.GetValue(noSupervisor)) is { } conflict)
            {
                Console.Error.WriteLine(conflict);
                return Task.FromResult(2);
            }

            if (parse.GetValue(http))
            {
                return HttpServeCommand.RunAsync(settings, parse.GetValue(urls), cancellationToken);
            }

            return parse.GetValue(noSupervisor)
                ? ServeCommand.RunAsync(settings, cancellationToken)
                : SuperviseCommand.RunAsync(settings, parse.GetValue(workerPath) ?? Environment.GetEnvironmentVariable(WorkerBuild.PathVariable), cancellationToken);
        };
        serve.SetAction(run);
        root.SetAction(run);

        // The orchestrator itself over stdio, without a supervisor: what a supervisor runs as its child,
        // and what tests run when they need the worker alone. Hidden: users run serve.
        var serveWorker = new Command(SupervisorProtocol.WorkerCommand, "Run the orchestrator over stdio without a supervisor (what serve runs as its child).") { Hidden = true, Options = { tools } };
        serveWorker.SetAction((parse, cancellationToken) => ServeCommand.RunAsync(
            new ServeSettings(parse.GetValue(workspace), parse.GetValue(config), ServeCommand.ParseLevel(parse.GetValue(logLevel)), Tools: parse.GetValue(tools)),
            cancellationToken));
        root.Subcommands.Add(serveWorker);
        root.Subcommands.Add(WorkerCommand.Create(workspace, config, logLevel));
        root.Subcommands.Add(DoctorCommand.Create(workspace, config));
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(MigrateStoreCommand.Create(config));
        root.Subcommands.Add(BackupCommand.Create());
        root.Subcommands.Add(RestoreCommand.Create(config));
        return root;
    }
}
