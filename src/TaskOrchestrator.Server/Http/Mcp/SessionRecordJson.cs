using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskOrchestrator.Server.Http.Mcp;

/// <summary>The session file's JSON: snake_case, indented for a person reading it.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<SessionRecord>))]
internal sealed partial class SessionRecordJson : JsonSerializerContext;
