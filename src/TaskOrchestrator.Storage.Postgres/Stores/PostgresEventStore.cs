using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>The event log in PostgreSQL.</summary>
internal sealed class PostgresEventStore : IEventStore
{
    private const string ForTasks = $"SELECT {EventRows.Columns} FROM event WHERE workspace_id = @ws AND task_id = ANY(@ids) ORDER BY seq LIMIT @limit";

    private const string Recent = $"SELECT {EventRows.Columns} FROM event WHERE workspace_id = @ws ORDER BY seq DESC LIMIT @limit";

    private const string RecentOfSession = $"SELECT {EventRows.Columns} FROM event WHERE workspace_id = @ws AND session_id = @s ORDER BY seq DESC LIMIT @limit";

    private const string After = $"SELECT {EventRows.Columns} FROM event WHERE workspace_id = @ws AND seq > @after ORDER BY seq LIMIT @limit";

    private static readonly RowWriter<EventRecord> Writer = new(PostgresDialect.Instance, EventRows.Written);

    private static readonly string Append = EventRows.Append(Writer);

    private readonly PostgresStoreUnit _unit;

    public PostgresEventStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task AppendAsync(EventRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _unit.EventAppended();
        var command = _unit.Write(Append);
        Writer.Bind(command, record, _unit.WorkspaceId);
        return _unit.DeferAsync(command, null, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, int limit, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(_unit.Read(ForTasks).With("ws", _unit.WorkspaceId).With("ids", taskIds).With("limit", limit), EventRows.Read, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecord>> GetRecentAsync(string? sessionId, int limit, CancellationToken cancellationToken)
    {
        var command = sessionId is null ? _unit.Read(Recent) : _unit.Read(RecentOfSession).With("s", sessionId);
        return await _unit.ListAsync(command.With("ws", _unit.WorkspaceId).With("limit", limit), EventRows.Read, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecord>> GetAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(After).With("ws", _unit.WorkspaceId).With("after", afterSequence).With("limit", limit), EventRows.Read, cancellationToken);
}
