using System.Text.Json.Serialization;

namespace TaskOrchestrator.Mcp.Operations;

/// <summary>
/// Compile-time JSON metadata of what supervisor and worker exchange beside the client's traffic.
/// Unknown members are ignored, so either side may add fields without breaking the other.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SupervisorFacts))]
[JsonSerializable(typeof(RestartRequestedParams))]
[JsonSerializable(typeof(StoppingParams))]
[JsonSerializable(typeof(BindingParams))]
public sealed partial class SupervisorJson : JsonSerializerContext;
