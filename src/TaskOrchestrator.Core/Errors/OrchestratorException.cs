namespace TaskOrchestrator.Core.Errors;

/// <summary>
/// Thrown by the domain and the store when a request cannot be honoured. Tools turn it into a tool
/// error whose structured content is <c>{"error": {...}}</c>. Throwing it never leaves a partial change:
/// the enclosing store unit is rolled back.
/// </summary>
public sealed class OrchestratorException : Exception
{
    /// <summary>Creates the exception from a fully described error.</summary>
    public OrchestratorException(OrchestratorError error)
        : base(error?.Message)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Creates the exception from a fully described error and its cause.</summary>
    public OrchestratorException(OrchestratorError error, Exception innerException)
        : base(error?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The error as it is shown to the client.</summary>
    public OrchestratorError Error { get; }
}
