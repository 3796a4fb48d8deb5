using System.CommandLine;
using TaskOrchestrator.Server.Cli;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server;

/// <summary>Entry point of the <c>task-orchestrator</c> executable.</summary>
internal static class Program
{
    // On SIGTERM or SIGINT the command's token is cancelled and its host shuts down gracefully, bounded
    // by its own timeout (Shutdown:DrainTimeout plus the time to release, record and checkpoint). The
    // parser's default would end the process 2 s after the signal, in the middle of that.
    private static readonly InvocationConfiguration Invocation = new() { ProcessTerminationTimeout = TimeSpan.FromMinutes(5) };

    private static async Task<int> Main(string[] args)
    {
        MallocArenas.LimitThisProcess();
        var parse = CommandLine.Build().Parse(args);
        CommandLine.ApplyStoreOptions(parse);
        int exitCode = await parse.InvokeAsync(Invocation);

        // Usage errors (unknown options, refused values) exit with 2, as serve's other usage errors do,
        // so that scripts can tell them from a command that ran and failed (doctor: 1 = critical).
        return parse.Errors.Count > 0 ? 2 : exitCode;
    }
}
