namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>Skip reasons of tests that state correct behaviour the server does not have yet.</summary>
internal static class Bugs
{
    public const string ConnectionStateLost =
        "bug: Connections/ConnectionRegistry.cs keys per-connection state by the McpServer object handed to the tool, but ModelContextProtocol 2.3.1 " +
        "hands every request a new DestinationBoundMcpServer, so the session (and workspace) bound by initialize_session/resume_session is forgotten by the next call";
}
