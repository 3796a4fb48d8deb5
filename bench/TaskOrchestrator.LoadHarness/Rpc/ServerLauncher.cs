using System.Diagnostics;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>How the server is started: through the <c>dotnet</c> muxer or the native apphost.</summary>
internal sealed record ServerLauncher(string Name, string FileName, IReadOnlyList<string> Prefix)
{
    public static ServerLauncher Dotnet(string serverDirectory) =>
        new("dotnet task-orchestrator.dll", "dotnet", [Path.Combine(serverDirectory, "task-orchestrator.dll")]);

    public static ServerLauncher AppHost(string serverDirectory) =>
        new("apphost task-orchestrator", Path.Combine(serverDirectory, "task-orchestrator"), []);

    public ProcessStartInfo StartInfo(string workspace)
    {
        var info = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace,
        };
        foreach (var argument in Prefix)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--workspace");
        info.ArgumentList.Add(workspace);
        return info;
    }
}
