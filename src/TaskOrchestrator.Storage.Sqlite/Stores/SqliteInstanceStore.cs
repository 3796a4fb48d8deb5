using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Server instances in SQLite.</summary>
internal sealed class SqliteInstanceStore : IInstanceStore
{
    private static readonly RowWriter<ServerInstanceRecord> Writer = new(SqliteDialect.Instance, InstanceRows.Written);

    // A database file is one workspace: the id alone is the key.
    private static readonly string Upsert = InstanceRows.Upsert(Writer, "id");

    private readonly SqliteStoreUnit _unit;

    public SqliteInstanceStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task UpsertAsync(ServerInstanceRecord instance, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(instance);
        var command = _unit.Write(Upsert);
        Writer.Bind(command, instance, _unit.WorkspaceId);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<bool> HeartbeatAsync(string instanceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int rows = _unit.Write("UPDATE server_instance SET heartbeat_at = $at WHERE id = $id AND workspace_id = $ws AND state IN ('running', 'stopping')")
            .With("$id", instanceId).With("$ws", _unit.WorkspaceId).With("$at", Sql.Ms(at))
            .ExecuteNonQuery();
        return Task.FromResult(rows == 1);
    }

    public Task SetStateAsync(string instanceId, InstanceState state, DateTimeOffset at, string? detail, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool ended = state is InstanceState.Stopped or InstanceState.Dead;
        _unit.Write("UPDATE server_instance SET state = $state, detail = $detail, stopped_at = CASE WHEN $ended THEN $at ELSE NULL END WHERE id = $id AND workspace_id = $ws")
            .With("$id", instanceId).With("$ws", _unit.WorkspaceId).With("$state", WireNames.Of(state)).With("$detail", detail)
            .With("$ended", ended).With("$at", Sql.Ms(at))
            .ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<ServerInstanceRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_unit.Read($"SELECT {InstanceRows.Columns} FROM server_instance WHERE id = $id AND workspace_id = $ws").With("$id", id).With("$ws", _unit.WorkspaceId).ReadFirst(InstanceRows.Read));
    }

    public Task<int> DeleteEndedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var deleted = _unit.Write("""
            DELETE FROM server_instance WHERE rowid IN (
                SELECT i.rowid FROM server_instance i
                WHERE i.workspace_id = $ws AND i.state IN ('stopped', 'dead') AND i.heartbeat_at < $before
                  AND i.id NOT IN (SELECT t.holder_instance_id FROM task t WHERE t.workspace_id = $ws AND t.status = 'in_progress' AND t.holder_instance_id IS NOT NULL)
                LIMIT $limit)
            """).With("$ws", _unit.WorkspaceId).With("$before", Sql.Ms(before)).With("$limit", limit).ExecuteNonQuery();
        return Task.FromResult(deleted);
    }

    public Task<IReadOnlyList<ServerInstanceRecord>> ListAsync(bool includeEnded, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var filter = includeEnded ? string.Empty : " AND state IN ('running', 'stopping')";
        var command = _unit.Read($"SELECT {InstanceRows.Columns} FROM server_instance WHERE workspace_id = $ws{filter} ORDER BY state IN ('running', 'stopping') DESC, heartbeat_at DESC, id LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<ServerInstanceRecord>>(command.ReadAll(InstanceRows.Read));
    }
}
