using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>Why a worker was replaced.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestartKind>))]
public enum RestartKind
{
    /// <summary>Asked for (orchestrator_restart_server, or the health monitor).</summary>
    [JsonStringEnumMemberName("restart")] Restart,

    /// <summary>The worker exited unexpectedly and the supervisor started another.</summary>
    [JsonStringEnumMemberName("crash_recovery")] CrashRecovery,
}
