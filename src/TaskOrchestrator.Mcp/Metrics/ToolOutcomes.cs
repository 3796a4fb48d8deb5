using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Mcp.Metrics;

/// <summary>Wire names and classification of <see cref="ToolOutcome"/>.</summary>
public static class ToolOutcomes
{
    /// <summary>The error codes that mean the server, not the caller, failed the call.</summary>
    public static IReadOnlySet<string> ServerSideCodes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ErrorCodes.InternalError,
        ErrorCodes.StoreBusy,
        ErrorCodes.WorkspaceUnavailable,
        ErrorCodes.ServerShuttingDown,
        ErrorCodes.Interrupted,
        ErrorCodes.ServerCritical,
        ErrorCodes.ServerBusy,
    };

    /// <summary>The outcome of a call that returned a tool error with <paramref name="code"/>.</summary>
    public static ToolOutcome OfError(string? code) =>
        code is not null && ServerSideCodes.Contains(code) ? ToolOutcome.ServerError : ToolOutcome.ClientError;

    /// <summary>The tag value exporters see.</summary>
    public static string WireName(this ToolOutcome outcome) => outcome switch
    {
        ToolOutcome.Success => "success",
        ToolOutcome.ClientError => "client_error",
        _ => "server_error",
    };
}
