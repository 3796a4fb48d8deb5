using System.Data.Common;
using System.Text.Json;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;

namespace TaskOrchestrator.Core.Storage.Relational;

/// <summary>The artifact columns, with or without the content, in the order <see cref="Read"/> expects them.</summary>
internal static class ArtifactRows
{
    public const string WithContent = "id, workspace_id, task_id, artifact_type, summary, content, content_hash, content_length, file_paths_json, created_by, created_at";

    /// <summary>The same columns with NULL for the content, for listings that need only the hash and length.</summary>
    public const string WithoutContent = "id, workspace_id, task_id, artifact_type, summary, NULL, content_hash, content_length, file_paths_json, created_by, created_at";

    /// <summary>The columns an insert writes, in the order of <see cref="WithContent"/>; a missing content is stored empty.</summary>
    public static readonly RowColumn<ArtifactRecord>[] Written =
    [
        new("id", StoredType.Text, a => a.Id),
        new("workspace_id", StoredType.Text, a => a.WorkspaceId),
        new("task_id", StoredType.Text, a => a.TaskId),
        new("artifact_type", StoredType.Text, a => WireNames.Of(a.Type)),
        new("summary", StoredType.Text, a => a.Summary),
        new("content", StoredType.Text, a => a.Content ?? string.Empty),
        new("content_hash", StoredType.Text, a => a.ContentHash),
        new("content_length", StoredType.Int64, a => a.ContentLength),
        new("file_paths_json", StoredType.Text, FilePathsJson),
        new("created_by", StoredType.Text, a => a.CreatedBy),
        new("created_at", StoredType.Int64, a => StoredValues.Ms(a.CreatedAt)),
    ];

    public static string Insert(RowWriter<ArtifactRecord> writer) => $"INSERT INTO artifact ({writer.Names}) VALUES ({writer.Parameters})";

    /// <summary>The referenced paths as stored in <c>file_paths_json</c>.</summary>
    public static string FilePathsJson(ArtifactRecord artifact) =>
        JsonSerializer.Serialize(artifact.FilePaths.ToArray(), StoredJson.Default.StringArray);

    public static ArtifactRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        TaskId = r.GetString(2),
        Type = WireNames.FromStore<ArtifactType>(r.GetString(3)),
        Summary = r.GetString(4),
        Content = StoredValues.StringOrNull(r, 5),
        ContentHash = r.GetString(6),
        ContentLength = r.GetInt64(7),
        FilePaths = JsonSerializer.Deserialize(r.GetString(8), StoredJson.Default.StringArray) ?? [],
        CreatedBy = StoredValues.StringOrNull(r, 9),
        CreatedAt = StoredValues.Time(r, 10),
    };
}
