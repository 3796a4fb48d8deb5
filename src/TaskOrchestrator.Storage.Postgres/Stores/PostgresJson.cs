using System.Text.Json.Serialization;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Source-generated JSON for the few JSON values the PostgreSQL backend stores, in the same form as the SQLite backend.</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(TaskOrchestrator.Core.Operations.RestartPhaseRecord[]))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class PostgresJson : JsonSerializerContext;
