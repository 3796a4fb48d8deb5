using System.Text.Json.Serialization;

namespace TaskOrchestrator.Mcp.Operations;

/// <summary>What the supervisor knows and the worker cannot: the client, the calls, the restarts.</summary>
public sealed record SupervisorFacts
{
    /// <summary>The supervisor's instance id.</summary>
    [JsonPropertyName("instance_id")]
    public required string InstanceId { get; init; }

    /// <summary>The supervisor's process id.</summary>
    [JsonPropertyName("supervisor_pid")]
    public int SupervisorPid { get; init; }

    /// <summary>When the supervisor started.</summary>
    [JsonPropertyName("started_at")]
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>serving, restarting or critical (crash-looped, no worker).</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    /// <summary>How many workers were started before the current one.</summary>
    [JsonPropertyName("worker_generation")]
    public int WorkerGeneration { get; init; }

    /// <summary>The current worker's process id.</summary>
    [JsonPropertyName("worker_pid")]
    public int WorkerPid { get; init; }

    /// <summary>Restarts asked for since the supervisor started.</summary>
    [JsonPropertyName("restarts")]
    public int Restarts { get; init; }

    /// <summary>Workers that crashed and were replaced since the supervisor started.</summary>
    [JsonPropertyName("crash_recoveries")]
    public int CrashRecoveries { get; init; }

    /// <summary>The restart under way, if any: phase and reason.</summary>
    [JsonPropertyName("restart_in_progress")]
    public RestartInProgressFact? RestartInProgress { get; init; }

    /// <summary>The connected client.</summary>
    [JsonPropertyName("client")]
    public ClientFact? Client { get; init; }

    /// <summary>Client calls in flight, not counting the call these facts came with.</summary>
    [JsonPropertyName("in_flight")]
    public IReadOnlyList<InFlightFact> InFlight { get; init; } = [];

    /// <summary>Client messages held while no worker can take them.</summary>
    [JsonPropertyName("buffered")]
    public int Buffered { get; init; }
}

/// <summary>A restart under way.</summary>
/// <param name="Phase">The phase's wire name.</param>
/// <param name="Reason">The reason's wire name.</param>
/// <param name="StartedAt">When it began.</param>
public sealed record RestartInProgressFact(
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt);

/// <summary>The client connected to the supervisor.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Version">Its version.</param>
/// <param name="ProtocolVersion">The negotiated MCP protocol version.</param>
/// <param name="ConnectedAt">When it initialized.</param>
/// <param name="LastActivityAt">When it last sent anything.</param>
public sealed record ClientFact(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("version")] string? Version,
    [property: JsonPropertyName("protocol_version")] string? ProtocolVersion,
    [property: JsonPropertyName("connected_at")] DateTimeOffset ConnectedAt,
    [property: JsonPropertyName("last_activity_at")] DateTimeOffset LastActivityAt);

/// <summary>A client call in flight.</summary>
/// <param name="Id">Its JSON-RPC id, as text.</param>
/// <param name="Method">Its method.</param>
/// <param name="Tool">The tool, for tools/call.</param>
/// <param name="StartedAt">When the client sent it.</param>
public sealed record InFlightFact(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("tool")] string? Tool,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt);
