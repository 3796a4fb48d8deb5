namespace TaskOrchestrator.Mcp.Metrics;

/// <summary>
/// How a tool call ended, as far as the server's reliability is concerned. A call refused because the
/// caller got something wrong (bad argument, unknown id, stale version, illegal move) was served
/// correctly and does not count against availability; a call the server could not serve does.
/// </summary>
public enum ToolOutcome
{
    /// <summary>The call succeeded.</summary>
    Success,

    /// <summary>The call was refused for a reason on the caller's side; the server worked as it should.</summary>
    ClientError,

    /// <summary>The server could not serve the call: an unexpected failure, a busy or unavailable store, a shutdown or restart.</summary>
    ServerError,
}
