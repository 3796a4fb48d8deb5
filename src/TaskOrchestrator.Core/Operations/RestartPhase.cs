using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>A step of a restart, in order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestartPhase>))]
public enum RestartPhase
{
    /// <summary>Recording the restart and checking it can proceed.</summary>
    [JsonStringEnumMemberName("preparing")] Preparing,

    /// <summary>Holding new calls and waiting for those in flight.</summary>
    [JsonStringEnumMemberName("draining")] Draining,

    /// <summary>Stopping the old worker.</summary>
    [JsonStringEnumMemberName("stopping")] Stopping,

    /// <summary>Starting the new worker.</summary>
    [JsonStringEnumMemberName("starting")] Starting,

    /// <summary>Re-initializing the client's session on the new worker and opening its store.</summary>
    [JsonStringEnumMemberName("loading_state")] LoadingState,

    /// <summary>Checking the new worker's health.</summary>
    [JsonStringEnumMemberName("health_check")] HealthCheck,

    /// <summary>Delivering the held calls to the new worker.</summary>
    [JsonStringEnumMemberName("resuming")] Resuming,

    /// <summary>Starting the previous build again after a failed health check.</summary>
    [JsonStringEnumMemberName("rolling_back")] RollingBack,
}
