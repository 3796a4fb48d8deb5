using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Artifacts in PostgreSQL, content in the row beside its hash.</summary>
internal sealed class PostgresArtifactStore : IArtifactStore
{
    private const string ForTasksWithContent = $"SELECT {ArtifactRows.WithContent} FROM artifact WHERE workspace_id = @ws AND task_id = ANY(@ids) ORDER BY seq";
    private const string ForTasksWithoutContent = $"SELECT {ArtifactRows.WithoutContent} FROM artifact WHERE workspace_id = @ws AND task_id = ANY(@ids) ORDER BY seq";
    private const string AfterWithContent = $"SELECT {ArtifactRows.WithContent} FROM artifact WHERE workspace_id = @ws AND id COLLATE \"C\" > @after ORDER BY id COLLATE \"C\" LIMIT @limit";
    private const string AfterWithoutContent = $"SELECT {ArtifactRows.WithoutContent} FROM artifact WHERE workspace_id = @ws AND id COLLATE \"C\" > @after ORDER BY id COLLATE \"C\" LIMIT @limit";
    private const string DeleteForTasks = "DELETE FROM artifact WHERE workspace_id = @ws AND task_id = ANY(@ids)";
    private const string Totals = "SELECT count(*)::int, coalesce(sum(content_length), 0)::bigint FROM artifact WHERE workspace_id = @ws";

    private static readonly RowWriter<ArtifactRecord> Writer = new(PostgresDialect.Instance, ArtifactRows.Written);

    private static readonly string Insert = ArtifactRows.Insert(Writer);

    private readonly PostgresStoreUnit _unit;

    public PostgresArtifactStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(ArtifactRecord artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var command = _unit.Write(Insert);
        Writer.Bind(command, artifact, _unit.WorkspaceId);
        return _unit.ExecuteAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ArtifactRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, bool includeContent, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(
            _unit.Read(includeContent ? ForTasksWithContent : ForTasksWithoutContent).With("ws", _unit.WorkspaceId).With("ids", taskIds),
            ArtifactRows.Read,
            cancellationToken);
    }

    public async Task<int> DeleteForTasksAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return 0;
        }

        return await _unit.ExecuteAsync(_unit.Write(DeleteForTasks).With("ws", _unit.WorkspaceId).With("ids", taskIds), cancellationToken);
    }

    public async Task<(int Count, long TotalLength)> GetTotalsAsync(CancellationToken cancellationToken)
    {
        var rows = await _unit.ListAsync(_unit.Read(Totals).With("ws", _unit.WorkspaceId), r => (r.GetInt32(0), r.GetInt64(1)), cancellationToken);
        return rows[0];
    }

    public async Task<IReadOnlyList<ArtifactRecord>> GetAfterAsync(string? afterId, int limit, bool includeContent, CancellationToken cancellationToken) =>
        await _unit.ListAsync(
            _unit.Read(includeContent ? AfterWithContent : AfterWithoutContent).With("ws", _unit.WorkspaceId).With("after", afterId ?? string.Empty).With("limit", limit),
            ArtifactRows.Read,
            cancellationToken);
}
