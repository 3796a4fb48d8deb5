using System.Text.Json.Serialization;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Source-generated JSON for the few JSON values the SQLite backend stores or binds.</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(TaskOrchestrator.Core.Operations.RestartPhaseRecord[]))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class SqliteJson : JsonSerializerContext;
