using System.CommandLine;
using TaskOrchestrator.Server.Doctor;

namespace TaskOrchestrator.Server.Cli;

/// <summary>
/// <c>task-orchestrator doctor [--workspace DIR] [--config FILE] [--json]</c>: the pre-flight check a
/// user runs before serving. Not the MCP server, so it prints to stdout. Exit code 0 when nothing is
/// critical, 1 when something is, 2 for usage errors.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(Option<string?> workspace, Option<string?> config)
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object, {checks:[{name,status,finding,hint,figures}],status}, instead of the table.",
        };
        var command = new Command(
            "doctor",
            "Check before serving: runtime, workspace, database, schema, disk space, configuration and dependencies. Exit code 0: nothing critical; 1: something critical; 2: usage error.")
        {
            json,
        };
        command.SetAction(parse => Run(parse.GetValue(workspace), parse.GetValue(config), parse.GetValue(json), Console.Out));
        return command;
    }

    public static int Run(string? workspace, string? configFile, bool json, TextWriter output)
    {
        var report = DoctorRunner.Run(workspace, configFile);
        if (json)
        {
            output.WriteLine(report.ToJson());
        }
        else
        {
            report.WriteTable(output, $"task-orchestrator {BuildInfo.Version} doctor");
        }

        return report.ExitCode;
    }
}
