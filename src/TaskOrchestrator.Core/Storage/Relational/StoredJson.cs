using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>
/// Source-generated JSON for the values both relational backends keep as JSON text (string lists, restart
/// phases): one form, so a row copied between backends reads back the same.
/// </summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Operations.RestartPhaseRecord[]))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class StoredJson : JsonSerializerContext;
