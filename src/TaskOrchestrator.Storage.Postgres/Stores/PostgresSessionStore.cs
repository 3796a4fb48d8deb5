using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Sessions;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Sessions in PostgreSQL.</summary>
internal sealed class PostgresSessionStore : ISessionStore
{
    private const string Select = $"SELECT {SessionRows.Columns} FROM session s WHERE s.workspace_id = @ws AND s.id = @id";

    private const string Update = """
        UPDATE session SET name = @name, status = @status, client_info = @client, last_activity_at = @activity, version = @version
        WHERE workspace_id = @ws AND id = @id AND version = @expected
        """;

    private const string CurrentVersion = "SELECT version FROM session WHERE workspace_id = @ws AND id = @id";

    private const string Touch = "UPDATE session SET last_activity_at = greatest(last_activity_at, @at) WHERE workspace_id = @ws AND id = @id";

    private const string Delete = "DELETE FROM session WHERE workspace_id = @ws AND id = @id";

    private const string Page = $"""
        SELECT {SessionRows.Columns} FROM session s WHERE s.workspace_id = @ws AND (@status::text IS NULL OR s.status = @status)
        ORDER BY s.last_activity_at DESC, s.id COLLATE "C" LIMIT @limit OFFSET @offset
        """;

    private const string Count = "SELECT count(*)::int FROM session s WHERE s.workspace_id = @ws AND (@status::text IS NULL OR s.status = @status)";

    private const string TaskCounts = "SELECT session_id, status, count(*)::int FROM task WHERE workspace_id = @ws AND session_id = ANY(@ids) GROUP BY session_id, status";

    private static readonly RowWriter<SessionRecord> Writer = new(PostgresDialect.Instance, SessionRows.Written);

    private static readonly string Insert = SessionRows.Insert(Writer);

    private readonly PostgresStoreUnit _unit;

    public PostgresSessionStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var command = _unit.Write(Insert);
        Writer.Bind(command, session, _unit.WorkspaceId);
        return _unit.ExecuteAsync(command, cancellationToken);
    }

    public Task<SessionRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(Select).With("ws", _unit.WorkspaceId).With("id", id), SessionRows.Read, cancellationToken);

    public async Task UpdateAsync(SessionRecord session, long expectedVersion, CancellationToken cancellationToken)
    {
        int rows = await _unit.ExecuteAsync(
            _unit.Write(Update)
                .With("id", session.Id).With("ws", _unit.WorkspaceId).With("name", session.Name).With("status", WireNames.Of(session.Status))
                .With("client", session.ClientInfo).With("activity", Pg.Ms(session.LastActivityAt)).With("version", session.Version).With("expected", expectedVersion),
            cancellationToken);
        if (rows > 0)
        {
            return;
        }

        var current = await _unit.ScalarAsync(_unit.Read(CurrentVersion).With("ws", _unit.WorkspaceId).With("id", session.Id), cancellationToken);
        throw SessionRows.UpdateFailed(session, expectedVersion, (long?)current);
    }

    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        _unit.DeferAsync(_unit.Write(Touch).With("ws", _unit.WorkspaceId).With("id", id).With("at", Pg.Ms(at)), null, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(_unit.Write(Delete).With("ws", _unit.WorkspaceId).With("id", id), cancellationToken);

    public async Task<(IReadOnlyList<SessionTaskCounts> Items, int TotalCount)> ListAsync(SessionStatus? status, int limit, int offset, CancellationToken cancellationToken)
    {
        string? statusName = status is { } s ? WireNames.Of(s) : null;
        var sessions = await _unit.ListAsync(
            _unit.Read(Page).With("ws", _unit.WorkspaceId).With("status", statusName).With("limit", limit).With("offset", offset),
            SessionRows.Read,
            cancellationToken);
        var counts = sessions.ToDictionary(x => x.Id, _ => new Dictionary<TaskItemStatus, int>(), StringComparer.Ordinal);
        if (sessions.Count > 0)
        {
            var rows = await _unit.ListAsync(
                _unit.Read(TaskCounts).With("ws", _unit.WorkspaceId).With("ids", sessions.Select(x => x.Id)),
                r => (Session: r.GetString(0), Status: WireNames.FromStore<TaskItemStatus>(r.GetString(1)), Count: r.GetInt32(2)),
                cancellationToken);
            foreach (var row in rows)
            {
                counts[row.Session][row.Status] = row.Count;
            }
        }

        int total = (int)(await _unit.ScalarAsync(_unit.Read(Count).With("ws", _unit.WorkspaceId).With("status", statusName), cancellationToken))!;
        IReadOnlyList<SessionTaskCounts> items = [.. sessions.Select(x => new SessionTaskCounts(x, counts[x.Id]))];
        return (items, total);
    }
}
