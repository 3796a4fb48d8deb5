using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>The event log in SQLite.</summary>
internal sealed class SqliteEventStore : IEventStore
{
    private static readonly RowWriter<EventRecord> Writer = new(SqliteDialect.Instance, EventRows.Written);

    private static readonly string Append = EventRows.Append(Writer);

    private readonly SqliteStoreUnit _unit;

    public SqliteEventStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task AppendAsync(EventRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.EventAppended();
        var command = _unit.Write(Append);
        Writer.Bind(command, record, _unit.WorkspaceId);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<EventRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (taskIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<EventRecord>>([]);
        }

        var command = _unit.Read($"SELECT {EventRows.Columns} FROM event WHERE workspace_id = $ws AND task_id IN (SELECT value FROM json_each($ids)) ORDER BY seq LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(taskIds)).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<EventRecord>>(command.ReadAll(EventRows.Read));
    }

    public Task<IReadOnlyList<EventRecord>> GetRecentAsync(string? sessionId, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = sessionId is null
            ? _unit.Read($"SELECT {EventRows.Columns} FROM event WHERE workspace_id = $ws ORDER BY seq DESC LIMIT $limit")
            : _unit.Read($"SELECT {EventRows.Columns} FROM event WHERE workspace_id = $ws AND session_id = $s ORDER BY seq DESC LIMIT $limit").With("$s", sessionId);
        command.With("$ws", _unit.WorkspaceId).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<EventRecord>>(command.ReadAll(EventRows.Read));
    }

    public Task<IReadOnlyList<EventRecord>> GetAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read($"SELECT {EventRows.Columns} FROM event WHERE workspace_id = $ws AND seq > $after ORDER BY seq LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$after", afterSequence).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<EventRecord>>(command.ReadAll(EventRows.Read));
    }
}
