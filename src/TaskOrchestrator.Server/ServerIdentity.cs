using ModelContextProtocol.Protocol;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Server;

/// <summary>
/// What the server tells a client about itself when it initializes: the same from the worker's SDK
/// server and from the supervisor when it answers the handshake itself.
/// </summary>
internal static class ServerIdentity
{
    /// <summary>The product's display name, serverInfo.title.</summary>
    public const string Title = "TaskOrchestrator";

    /// <summary>How to use the server, sent to the client with the handshake.</summary>
    public static string Instructions { get; } =
        "TaskOrchestrator keeps a durable tree of tasks with dependencies and specialist roles. Start with orchestrator_initialize_session, plan with orchestrator_plan_task (subtasks in one call), take ready tasks with orchestrator_execute_task and report them with orchestrator_complete_task.\n\n" + Guidance.Workflow;

    /// <summary>serverInfo: name, title and the build's version.</summary>
    public static Implementation Implementation => new() { Name = BuildInfo.Name, Title = Title, Version = BuildInfo.Version };
}
