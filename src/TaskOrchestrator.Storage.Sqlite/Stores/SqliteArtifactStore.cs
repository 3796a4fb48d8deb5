using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Artifacts in SQLite, content in the row beside its hash.</summary>
internal sealed class SqliteArtifactStore : IArtifactStore
{
    private static readonly RowWriter<ArtifactRecord> Writer = new(SqliteDialect.Instance, ArtifactRows.Written);

    private static readonly string Insert = ArtifactRows.Insert(Writer);

    private readonly SqliteStoreUnit _unit;

    public SqliteArtifactStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(ArtifactRecord artifact, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Write(Insert);
        Writer.Bind(command, artifact, _unit.WorkspaceId);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ArtifactRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, bool includeContent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (taskIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ArtifactRecord>>([]);
        }

        var command = _unit.Read($"SELECT {(includeContent ? ArtifactRows.WithContent : ArtifactRows.WithoutContent)} FROM artifact WHERE workspace_id = $ws AND task_id IN (SELECT value FROM json_each($ids)) ORDER BY seq")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(taskIds));
        return Task.FromResult<IReadOnlyList<ArtifactRecord>>(command.ReadAll(ArtifactRows.Read));
    }

    public Task<int> DeleteForTasksAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (taskIds.Count == 0)
        {
            return Task.FromResult(0);
        }

        int rows = _unit.Write("DELETE FROM artifact WHERE workspace_id = $ws AND task_id IN (SELECT value FROM json_each($ids))")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(taskIds))
            .ExecuteNonQuery();
        return Task.FromResult(rows);
    }

    public Task<(int Count, long TotalLength)> GetTotalsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = _unit.Read("SELECT count(*), coalesce(sum(content_length), 0) FROM artifact WHERE workspace_id = $ws").With("$ws", _unit.WorkspaceId).ExecuteReader();
        reader.Read();
        return Task.FromResult((reader.GetInt32(0), reader.GetInt64(1)));
    }

    public Task<IReadOnlyList<ArtifactRecord>> GetAfterAsync(string? afterId, int limit, bool includeContent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read($"SELECT {(includeContent ? ArtifactRows.WithContent : ArtifactRows.WithoutContent)} FROM artifact WHERE workspace_id = $ws AND id > $after ORDER BY id LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$after", afterId ?? string.Empty).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<ArtifactRecord>>(command.ReadAll(ArtifactRows.Read));
    }
}
