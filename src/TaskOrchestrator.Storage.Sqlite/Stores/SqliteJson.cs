using System.Text.Json.Serialization;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Source-generated JSON for the id lists the SQLite backend binds as JSON arrays (for <c>json_each</c>).</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class SqliteJson : JsonSerializerContext;
