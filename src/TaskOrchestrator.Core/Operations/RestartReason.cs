using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Operations;

/// <summary>The reason given for a restart.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RestartReason>))]
public enum RestartReason
{
    /// <summary>To pick up new configuration.</summary>
    [JsonStringEnumMemberName("configuration_update")] ConfigurationUpdate,

    /// <summary>To apply a new schema (a new build with migrations).</summary>
    [JsonStringEnumMemberName("schema_migration")] SchemaMigration,

    /// <summary>To recover from errors (also what the health monitor and crash recovery record).</summary>
    [JsonStringEnumMemberName("error_recovery")] ErrorRecovery,

    /// <summary>Because someone asked.</summary>
    [JsonStringEnumMemberName("manual_request")] ManualRequest,

    /// <summary>To stop whatever the worker is doing, now.</summary>
    [JsonStringEnumMemberName("emergency_shutdown")] EmergencyShutdown,
}
