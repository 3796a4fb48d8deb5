namespace TaskOrchestrator.Server.Supervision;

/// <summary>What the supervisor does with a client message that arrives now.</summary>
internal enum SupervisorState
{
    /// <summary>A worker is serving: forward.</summary>
    Serving,

    /// <summary>A worker is being replaced (restart or crash recovery), or held messages are being delivered: hold.</summary>
    Holding,

    /// <summary>Workers crashed repeatedly and none runs: answer every request with the cause.</summary>
    Critical,

    /// <summary>The supervisor is shutting down: answer new requests with that.</summary>
    Stopping,
}

/// <summary>Why the supervisor stopped restarting workers.</summary>
/// <param name="Message">What happened, with the last exit code and error output.</param>
/// <param name="LogFile">Where the details are.</param>
/// <param name="Since">When it became critical.</param>
internal sealed record CriticalCause(string Message, string? LogFile, DateTimeOffset Since);
