using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Sessions in SQLite.</summary>
internal sealed class SqliteSessionStore : ISessionStore
{
    private static readonly RowWriter<SessionRecord> Writer = new(SqliteDialect.Instance, SessionRows.Written);

    private static readonly string Insert = SessionRows.Insert(Writer);

    private readonly SqliteStoreUnit _unit;

    public SqliteSessionStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Write(Insert);
        Writer.Bind(command, session, _unit.WorkspaceId);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<SessionRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_unit.Read($"SELECT {SessionRows.Columns} FROM session s WHERE s.id = $id AND s.workspace_id = $ws").With("$id", id).With("$ws", _unit.WorkspaceId).ReadFirst(SessionRows.Read));
    }

    public Task UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int rows = _unit.Write("UPDATE session SET name = $name, status = $status, client_info = $client, last_activity_at = $activity, version = $version WHERE id = $id AND workspace_id = $ws AND version = $expected")
            .With("$id", session.Id).With("$ws", _unit.WorkspaceId).With("$name", session.Name).With("$status", WireNames.Of(session.Status))
            .With("$client", session.ClientInfo).With("$activity", Sql.Ms(session.LastActivityAt)).With("$version", session.Version).With("$expected", expectedVersion)
            .ExecuteNonQuery();
        if (rows == 0)
        {
            var current = _unit.Read("SELECT version FROM session WHERE id = $id AND workspace_id = $ws").With("$id", session.Id).With("$ws", _unit.WorkspaceId).ExecuteScalar();
            throw SessionRows.UpdateFailed(session, expectedVersion, (long?)current);
        }

        return Task.CompletedTask;
    }

    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.Write("UPDATE session SET last_activity_at = max(last_activity_at, $at) WHERE id = $id AND workspace_id = $ws")
            .With("$id", id).With("$ws", _unit.WorkspaceId).With("$at", Sql.Ms(at))
            .ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.Write("DELETE FROM session WHERE id = $id AND workspace_id = $ws").With("$id", id).With("$ws", _unit.WorkspaceId).ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<SessionTaskCounts> Items, int TotalCount)> ListAsync(SessionStatus? status, int limit, int offset, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string filter = status is null ? string.Empty : " AND s.status = $status";
        var page = _unit.Read($"SELECT {SessionRows.Columns} FROM session s WHERE s.workspace_id = $ws{filter} ORDER BY s.last_activity_at DESC, s.id LIMIT $limit OFFSET $offset")
            .With("$ws", _unit.WorkspaceId).With("$limit", limit).With("$offset", offset);
        var count = _unit.Read($"SELECT count(*) FROM session s WHERE s.workspace_id = $ws{filter}").With("$ws", _unit.WorkspaceId);
        if (status is { } s)
        {
            page.With("$status", WireNames.Of(s));
            count.With("$status", WireNames.Of(s));
        }

        var sessions = page.ReadAll(SessionRows.Read);

        var counts = sessions.ToDictionary(x => x.Id, _ => new Dictionary<TaskItemStatus, int>());
        if (sessions.Count > 0)
        {
            using var reader = _unit.Read("SELECT session_id, status, count(*) FROM task WHERE +workspace_id = $ws AND session_id IN (SELECT value FROM json_each($ids)) GROUP BY session_id, status")
                .With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(sessions.Select(x => x.Id))).ExecuteReader();
            while (reader.Read())
            {
                counts[reader.GetString(0)][WireNames.FromStore<TaskItemStatus>(reader.GetString(1))] = reader.GetInt32(2);
            }
        }

        int total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        IReadOnlyList<SessionTaskCounts> items = [.. sessions.Select(x => new SessionTaskCounts(x, counts[x.Id]))];
        return Task.FromResult((items, total));
    }
}
