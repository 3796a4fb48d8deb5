using System.Diagnostics;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>How the server is started: through the <c>dotnet</c> muxer or the native apphost.</summary>
internal sealed record ServerLauncher(string Name, string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>Arguments after --workspace, such as --no-supervisor.</summary>
    public IReadOnlyList<string> Extra { get; init; } = [];

    /// <summary>The same launcher with <paramref name="extra"/> arguments and a name that says so.</summary>
    public ServerLauncher With(params string[] extra) => this with { Name = $"{Name} {string.Join(' ', extra)}", Extra = [.. Extra, .. extra] };

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
        foreach (var argument in Extra)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
