namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>Skip reasons of tests that state correct behaviour the server does not have yet.</summary>
internal static class Bugs
{
    public const string ConnectionStateLost =
        "bug: Connections/ConnectionRegistry.cs keys per-connection state by the McpServer object handed to the tool, but ModelContextProtocol 2.3.1 " +
        "hands every request a new DestinationBoundMcpServer, so the session (and workspace) bound by initialize_session/resume_session is forgotten by the next call";

    public const string NullForRequiredArgument =
        "bug: Validation/ArgumentValidator.cs checks a value's type before the required check, so null for a required argument is answered " +
        "invalid_argument ('must be a string, not null') instead of missing_argument; the null branch of the required check is unreachable";

    public const string BlankSessionIdNotValidated =
        "bug: Tools/SessionTools.cs (resume_session, session_status) passes an empty or blank session_id to the store and answers " +
        "not_found for session '' instead of missing_argument";
}
