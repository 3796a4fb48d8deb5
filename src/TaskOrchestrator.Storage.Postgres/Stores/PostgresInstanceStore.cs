using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Server instances in PostgreSQL; instances on any host register in the same rows.</summary>
internal sealed class PostgresInstanceStore : IInstanceStore
{
    private const string Heartbeat = "UPDATE server_instance SET heartbeat_at = @at WHERE workspace_id = @ws AND id = @id AND state IN ('running', 'stopping')";

    private const string SetState = """
        UPDATE server_instance SET state = @state, detail = @detail, stopped_at = CASE WHEN @ended THEN @at ELSE NULL END
        WHERE workspace_id = @ws AND id = @id
        """;

    private const string Select = $"SELECT {InstanceRows.Columns} FROM server_instance WHERE workspace_id = @ws AND id = @id";

    private const string DeleteEnded = """
        DELETE FROM server_instance WHERE workspace_id = @ws AND id IN (
            SELECT i.id FROM server_instance i
            WHERE i.workspace_id = @ws AND i.state IN ('stopped', 'dead') AND i.heartbeat_at < @before
              AND NOT EXISTS (SELECT 1 FROM task t WHERE t.workspace_id = i.workspace_id AND t.holder_instance_id = i.id AND t.status = 'in_progress')
            LIMIT @limit)
        """;

    private const string ListRunning = $"""
        SELECT {InstanceRows.Columns} FROM server_instance WHERE workspace_id = @ws AND state IN ('running', 'stopping')
        ORDER BY heartbeat_at DESC, id COLLATE "C" LIMIT @limit
        """;

    private const string ListAll = $"""
        SELECT {InstanceRows.Columns} FROM server_instance WHERE workspace_id = @ws
        ORDER BY state IN ('running', 'stopping') DESC, heartbeat_at DESC, id COLLATE "C" LIMIT @limit
        """;

    private static readonly RowWriter<ServerInstanceRecord> Writer = new(PostgresDialect.Instance, InstanceRows.Written);

    private static readonly string Upsert = InstanceRows.Upsert(Writer, "workspace_id, id");

    private readonly PostgresStoreUnit _unit;

    public PostgresInstanceStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task UpsertAsync(ServerInstanceRecord instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var command = _unit.Write(Upsert);
        Writer.Bind(command, instance, _unit.WorkspaceId);
        return _unit.ExecuteAsync(command, cancellationToken);
    }

    public async Task<bool> HeartbeatAsync(string instanceId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await _unit.ExecuteAsync(_unit.Write(Heartbeat).With("ws", _unit.WorkspaceId).With("id", instanceId).With("at", Pg.Ms(at)), cancellationToken) == 1;

    public Task SetStateAsync(string instanceId, InstanceState state, DateTimeOffset at, string? detail, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(
            _unit.Write(SetState)
                .With("ws", _unit.WorkspaceId).With("id", instanceId).With("state", WireNames.Of(state)).With("detail", detail)
                .With("ended", state is InstanceState.Stopped or InstanceState.Dead).With("at", Pg.Ms(at)),
            cancellationToken);

    public Task<ServerInstanceRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(Select).With("ws", _unit.WorkspaceId).With("id", id), InstanceRows.Read, cancellationToken);

    public Task<int> DeleteEndedBeforeAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(_unit.Write(DeleteEnded).With("ws", _unit.WorkspaceId).With("before", Pg.Ms(before)).With("limit", limit), cancellationToken);

    public async Task<IReadOnlyList<ServerInstanceRecord>> ListAsync(bool includeEnded, int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(includeEnded ? ListAll : ListRunning).With("ws", _unit.WorkspaceId).With("limit", limit), InstanceRows.Read, cancellationToken);
}
