using System.Text.Json.Serialization;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Server.Operations;

/// <summary>A health check that changed status, as recorded, notified and sent to the alert hooks.</summary>
/// <param name="Check">The check's name.</param>
/// <param name="From">Its status before.</param>
/// <param name="To">Its status now.</param>
/// <param name="Message">What the check found.</param>
/// <param name="Figures">What it measured.</param>
/// <param name="Workspace">The workspace folder, or null for a check of the process (memory).</param>
/// <param name="InstanceId">The server instance that ran the check.</param>
/// <param name="At">When.</param>
internal sealed record HealthTransition(
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("from")] HealthStatus From,
    [property: JsonPropertyName("to")] HealthStatus To,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("figures")] IReadOnlyDictionary<string, double> Figures,
    [property: JsonPropertyName("workspace")] string? Workspace,
    [property: JsonPropertyName("instance_id")] string InstanceId,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>JSON metadata of what the monitor sends out.</summary>
[JsonSerializable(typeof(HealthTransition))]
internal sealed partial class OperationsJson : JsonSerializerContext;
