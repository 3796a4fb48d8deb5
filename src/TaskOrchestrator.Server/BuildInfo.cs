using System.Reflection;

namespace TaskOrchestrator.Server;

/// <summary>What this build is.</summary>
internal static class BuildInfo
{
    /// <summary>The product name clients see as serverInfo.name.</summary>
    public const string Name = "task-orchestrator";

    /// <summary>The version with the source revision it was built from, e.g. 0.2.0+3f2a1c9.</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
