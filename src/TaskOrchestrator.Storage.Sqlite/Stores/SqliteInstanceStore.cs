using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Server instances in SQLite.</summary>
internal sealed class SqliteInstanceStore : IInstanceStore
{
    private const string Upsert = """
        INSERT INTO server_instance (id, workspace_id, role, parent_id, host, process_id, process_started_at, executable, version, state, started_at, heartbeat_at, stopped_at, detail)
        VALUES ($id, $ws, $role, $parent, $host, $pid, $pstart, $exe, $version, $state, $started, $heartbeat, $stopped, $detail)
        ON CONFLICT (id) DO UPDATE SET role = excluded.role, parent_id = excluded.parent_id, host = excluded.host, process_id = excluded.process_id,
            process_started_at = excluded.process_started_at, executable = excluded.executable, version = excluded.version, state = excluded.state,
            started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, stopped_at = excluded.stopped_at, detail = excluded.detail
        """;

    private readonly SqliteStoreUnit _unit;

    public SqliteInstanceStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task UpsertAsync(ServerInstanceRecord instance, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.Write(Upsert)
            .With("$id", instance.Id).With("$ws", instance.WorkspaceId).With("$role", WireNames.Of(instance.Role)).With("$parent", instance.ParentId)
            .With("$host", instance.Host).With("$pid", instance.ProcessId).With("$pstart", instance.ProcessStartedAt).With("$exe", instance.Executable)
            .With("$version", instance.Version).With("$state", WireNames.Of(instance.State)).With("$started", Sql.Ms(instance.StartedAt))
            .With("$heartbeat", Sql.Ms(instance.HeartbeatAt)).With("$stopped", Sql.MsOrNull(instance.StoppedAt)).With("$detail", instance.Detail)
            .ExecuteNonQuery();
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
                  AND NOT EXISTS (SELECT 1 FROM task t WHERE t.holder_instance_id = i.id AND t.status = 'in_progress')
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
