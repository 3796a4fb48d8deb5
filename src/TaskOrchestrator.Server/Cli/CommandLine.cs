using System.CommandLine;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Cli;

/// <summary>The command line: <c>task-orchestrator [serve] [--workspace DIR] [--config FILE] [--log-level LEVEL]</c>.</summary>
internal static class CommandLine
{
    public static RootCommand Build()
    {
        var workspace = new Option<string?>("--workspace", "-w")
        {
            Description = "Project folder whose tasks to serve (default: TASK_ORCHESTRATOR_WORKSPACE, then the client's first root, then the git root of the current directory, then the current directory).",
            Recursive = true,
        };
        var config = new Option<string?>("--config")
        {
            Description = "JSON configuration file (sections 'Orchestrator' and 'Storage:Sqlite'; see docs/reference.md).",
            Recursive = true,
        };
        var logLevel = new Option<string>("--log-level")
        {
            Description = "Minimum log level: trace, debug, information, warning or error. Logs go to stderr and to <workspace>/.task-orchestrator/logs.",
            DefaultValueFactory = _ => "information",
            Recursive = true,
        };
        logLevel.AcceptOnlyFromAmong("trace", "debug", "information", "warning", "error");

        var serve = new Command("serve", "Serve MCP over stdio (the default command). Stdout carries only the protocol.");
        var root = new RootCommand("TaskOrchestrator: a durable MCP server that orchestrates tasks for LLM agents.")
        {
            workspace,
            config,
            logLevel,
            serve,
        };

        Func<ParseResult, CancellationToken, Task<int>> run = (parse, cancellationToken) => ServeCommand.RunAsync(
            new ServeSettings(parse.GetValue(workspace), parse.GetValue(config), ServeCommand.ParseLevel(parse.GetValue(logLevel))),
            cancellationToken);
        serve.SetAction(run);
        root.SetAction(run);

        // The orchestrator itself over stdio, without a supervisor: what a supervisor runs as its child,
        // and what tests run when they need the worker alone. Hidden: users run serve.
        var worker = new Command("worker", "Run the orchestrator over stdio without a supervisor (what serve runs as its child).") { Hidden = true };
        worker.SetAction((parse, cancellationToken) => ServeCommand.RunAsync(
            new ServeSettings(parse.GetValue(workspace), parse.GetValue(config), ServeCommand.ParseLevel(parse.GetValue(logLevel))),
            cancellationToken));
        root.Subcommands.Add(worker);
        root.Subcommands.Add(DoctorCommand.Create(workspace, config));
        return root;
    }
}
