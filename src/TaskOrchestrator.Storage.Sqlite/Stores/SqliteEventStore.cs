using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>The event log in SQLite.</summary>
internal sealed class SqliteEventStore : IEventStore
{
    private const string Columns = "seq, workspace_id, kind, task_id, session_id, actor, from_state, to_state, data_json, at";

    private const string Insert = """
        INSERT INTO event (workspace_id, kind, task_id, session_id, actor, from_state, to_state, data_json, at)
        VALUES ($ws, $kind, $task, $session, $actor, $from, $to, $data, $at)
        RETURNING seq
        """;

    private readonly SqliteStoreUnit _unit;

    public SqliteEventStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<long> AppendAsync(EventRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.EventAppended();
        var seq = (long)_unit.Write(Insert)
            .With("$ws", record.WorkspaceId).With("$kind", record.Kind).With("$task", record.TaskId).With("$session", record.SessionId)
            .With("$actor", record.Actor).With("$from", record.From).With("$to", record.To).With("$data", record.DataJson).With("$at", Sql.Ms(record.At))
            .ExecuteScalar()!;
        return Task.FromResult(seq);
    }

    public Task<IReadOnlyList<EventRecord>> GetForTasksAsync(IReadOnlyCollection<string> taskIds, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (taskIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<EventRecord>>([]);
        }

        var command = _unit.Read($"SELECT {Columns} FROM event WHERE workspace_id = $ws AND task_id IN (SELECT value FROM json_each($ids)) ORDER BY seq LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(taskIds)).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<EventRecord>>(ReadAll(command));
    }

    public Task<IReadOnlyList<EventRecord>> GetRecentAsync(string? sessionId, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = sessionId is null
            ? _unit.Read($"SELECT {Columns} FROM event WHERE workspace_id = $ws ORDER BY seq DESC LIMIT $limit")
            : _unit.Read($"SELECT {Columns} FROM event WHERE workspace_id = $ws AND session_id = $s ORDER BY seq DESC LIMIT $limit").With("$s", sessionId);
        command.With("$ws", _unit.WorkspaceId).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<EventRecord>>(ReadAll(command));
    }

    public Task<IReadOnlyList<EventRecord>> GetAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read($"SELECT {Columns} FROM event WHERE workspace_id = $ws AND seq > $after ORDER BY seq LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$after", afterSequence).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<EventRecord>>(ReadAll(command));
    }

    private static List<EventRecord> ReadAll(SqliteCommand command)
    {
        var events = new List<EventRecord>();
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            events.Add(new EventRecord
            {
                Sequence = r.GetInt64(0),
                WorkspaceId = r.GetString(1),
                Kind = r.GetString(2),
                TaskId = Sql.StringOrNull(r, 3),
                SessionId = Sql.StringOrNull(r, 4),
                Actor = Sql.StringOrNull(r, 5),
                From = Sql.StringOrNull(r, 6),
                To = Sql.StringOrNull(r, 7),
                DataJson = Sql.StringOrNull(r, 8),
                At = Sql.Time(r, 9),
            });
        }

        return events;
    }
}
