using TaskOrchestrator.Server.Cli;

namespace TaskOrchestrator.Server;

/// <summary>Entry point of the <c>task-orchestrator</c> executable.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => CommandLine.Build().Parse(args).InvokeAsync();
}
