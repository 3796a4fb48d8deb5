using System.Text.Json;
using System.Text.Json.Serialization;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Maintenance;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Mcp.Results;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Mcp.Json;

/// <summary>
/// Compile-time JSON metadata for every tool parameter and result type. The SDK builds each tool's
/// input and output schema from this metadata at startup; with reflection that took most of the time
/// before the server could answer <c>initialize</c> (docs/PERFORMANCE.md).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(TaskType))]
[JsonSerializable(typeof(TaskType?))]
[JsonSerializable(typeof(TaskType[]))]
[JsonSerializable(typeof(TaskComplexity))]
[JsonSerializable(typeof(TaskComplexity?))]
[JsonSerializable(typeof(TaskComplexity[]))]
[JsonSerializable(typeof(TaskPriority))]
[JsonSerializable(typeof(TaskPriority?))]
[JsonSerializable(typeof(TaskPriority[]))]
[JsonSerializable(typeof(TaskItemStatus[]))]
[JsonSerializable(typeof(TaskSort))]
[JsonSerializable(typeof(NextAction))]
[JsonSerializable(typeof(ArtifactType))]
[JsonSerializable(typeof(MaintenanceScope))]
[JsonSerializable(typeof(ValidationLevel))]
[JsonSerializable(typeof(SessionCleanupType))]
[JsonSerializable(typeof(SessionFilter))]
[JsonSerializable(typeof(MaintenanceAction))]
[JsonSerializable(typeof(StatusChangeTarget?))]
[JsonSerializable(typeof(SubtaskInput[]))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(InitializeSessionResult))]
[JsonSerializable(typeof(ListSessionsResult))]
[JsonSerializable(typeof(ResumeSessionResult))]
[JsonSerializable(typeof(SessionStatusResult))]
[JsonSerializable(typeof(CleanupSessionsResult))]
[JsonSerializable(typeof(PlanTaskResult))]
[JsonSerializable(typeof(UpdateTaskResult))]
[JsonSerializable(typeof(CancelTaskResult))]
[JsonSerializable(typeof(DeleteTaskResult))]
[JsonSerializable(typeof(QueryTasksResult))]
[JsonSerializable(typeof(ExecuteTaskResult))]
[JsonSerializable(typeof(ClaimNextTaskResult))]
[JsonSerializable(typeof(HeartbeatResult))]
[JsonSerializable(typeof(ReleaseTaskResult))]
[JsonSerializable(typeof(AgentKind))]
[JsonSerializable(typeof(RegisterAgentResult))]
[JsonSerializable(typeof(AgentStatusResult))]
[JsonSerializable(typeof(TaskType[]))]
[JsonSerializable(typeof(CompleteTaskResult))]
[JsonSerializable(typeof(SynthesizeResultsResult))]
[JsonSerializable(typeof(GetStatusResult))]
[JsonSerializable(typeof(MaintenanceResult))]
[JsonSerializable(typeof(ValidateDependenciesResult))]
[JsonSerializable(typeof(RestartReason))]
[JsonSerializable(typeof(HealthCheckResult))]
[JsonSerializable(typeof(ShutdownPrepareResult))]
[JsonSerializable(typeof(RestartServerResult))]
[JsonSerializable(typeof(RestartStatusResult))]
[JsonSerializable(typeof(ReconnectTestResult))]
internal sealed partial class OrchestratorJsonContext : JsonSerializerContext;
