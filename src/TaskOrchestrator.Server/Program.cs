using TaskOrchestrator.Server.Cli;

namespace TaskOrchestrator.Server;

/// <summary>Entry point of the <c>task-orchestrator</c> executable.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var parse = CommandLine.Build().Parse(args);
        int exitCode = await parse.InvokeAsync();

        // Usage errors (unknown options, refused values) exit with 2, as serve's other usage errors do,
        // so that scripts can tell them from a command that ran and failed (doctor: 1 = critical).
        return parse.Errors.Count > 0 ? 2 : exitCode;
    }
}
