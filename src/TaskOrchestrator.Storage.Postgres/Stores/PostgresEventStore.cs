using Npgsql;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>The event log in PostgreSQL.</summary>
internal sealed class PostgresEventStore : IEventStore
{
    private const string Columns = "seq, workspace_id, kind, task_id, session_id, actor, from_state, to_state, data_json, at";

    private const string Insert = """
        INSERT INTO event (workspace_id, kind, task_id, session_id, actor, from_state, to_state, data_json, at)
        VALUES (@ws, @kind, @task, @session, @actor, @from, @to, @data, @at)
        RETURNING seq
        """;

    private const string ForTasks = $"SELECT {Columns} FROM event WHERE workspace_id = @ws AND task_id = ANY(@ids) ORDER BY seq LIMIT @limit";

    private const string Recent = $"SELECT {Columns} FROM event WHERE workspace_id = @ws ORDER BY seq DESC LIMIT @limit";

    private const string RecentOfSession = $"SELECT {Columns} FROM event WHERE workspace_id = @ws AND session_id = @s ORDER BY seq DESC LIMIT @limit";

    private const string After = $"SELECT {Columns} FROM event WHERE workspace_id = @ws AND seq > @after ORDER BY seq LIMIT @limit";

    private readonly PostgresStoreUnit _unit;

    public PostgresEventStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public async Task<long> AppendAsync(EventRecord record, CancellationToken cancellationToken)
    {
        _unit.EventAppended();
        return (long)(await _unit.ScalarAsync(
            _unit.Write(Insert)
                .With("ws", record.WorkspaceId).With("kind", record.Kind).With("task", record.TaskId).With("session", record.SessionId)
                .With("actor", record.Actor).With("from", record.From).With("to", record.To).With("data", record.DataJson).With("at", Pg.Ms(record.At)),
            cancellationToken))!;
    }

    public async Task<IReadOnlyList<EventRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, int limit, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(_unit.Read(ForTasks).With("ws", _unit.WorkspaceId).With("ids", taskIds).With("limit", limit), Read, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecord>> GetRecentAsync(string? sessionId, int limit, CancellationToken cancellationToken)
    {
        var command = sessionId is null ? _unit.Read(Recent) : _unit.Read(RecentOfSession).With("s", sessionId);
        return await _unit.ListAsync(command.With("ws", _unit.WorkspaceId).With("limit", limit), Read, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRecord>> GetAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(After).With("ws", _unit.WorkspaceId).With("after", afterSequence).With("limit", limit), Read, cancellationToken);

    private static EventRecord Read(NpgsqlDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        WorkspaceId = r.GetString(1),
        Kind = r.GetString(2),
        TaskId = Pg.StringOrNull(r, 3),
        SessionId = Pg.StringOrNull(r, 4),
        Actor = Pg.StringOrNull(r, 5),
        From = Pg.StringOrNull(r, 6),
        To = Pg.StringOrNull(r, 7),
        DataJson = Pg.StringOrNull(r, 8),
        At = Pg.Time(r, 9),
    };
}
