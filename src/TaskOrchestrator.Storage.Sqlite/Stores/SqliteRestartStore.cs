using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Restart history in SQLite; the phases are kept as a JSON array.</summary>
internal sealed class SqliteRestartStore : IRestartStore
{
    private readonly SqliteStoreUnit _unit;

    public SqliteRestartStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(RestartRecord restart, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Bind(_unit.Write($"INSERT INTO restart ({RestartRows.Columns}) VALUES ($id, $ws, $instance, $kind, $reason, $graceful, $by, $started, $finished, $outcome, $from, $to, $phases, $error)"), restart)
            .ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task UpdateAsync(RestartRecord restart, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Bind(_unit.Write("""
            UPDATE restart SET instance_id = $instance, kind = $kind, reason = $reason, graceful = $graceful, requested_by = $by, started_at = $started,
                finished_at = $finished, outcome = $outcome, from_version = $from, to_version = $to, phases_json = $phases, error = $error
            WHERE id = $id AND workspace_id = $ws
            """), restart).ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<RestartRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_unit.Read($"SELECT {RestartRows.Columns} FROM restart WHERE id = $id AND workspace_id = $ws").With("$id", id).With("$ws", _unit.WorkspaceId).ReadFirst(RestartRows.Read));
    }

    public Task<(IReadOnlyList<RestartRecord> Items, int TotalCount)> ListAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var restarts = _unit.Read($"SELECT {RestartRows.Columns} FROM restart WHERE workspace_id = $ws ORDER BY started_at DESC, id DESC LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$limit", limit).ReadAll(RestartRows.Read);

        int total = Convert.ToInt32(_unit.Read("SELECT count(*) FROM restart WHERE workspace_id = $ws").With("$ws", _unit.WorkspaceId).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult<(IReadOnlyList<RestartRecord>, int)>((restarts, total));
    }

    private static SqliteCommand Bind(SqliteCommand command, RestartRecord r) => command
        .With("$id", r.Id).With("$ws", r.WorkspaceId).With("$instance", r.InstanceId).With("$kind", WireNames.Of(r.Kind))
        .With("$reason", WireNames.Of(r.Reason)).With("$graceful", r.Graceful).With("$by", r.RequestedBy)
        .With("$started", Sql.Ms(r.StartedAt)).With("$finished", Sql.MsOrNull(r.FinishedAt)).With("$outcome", WireNames.Of(r.Outcome))
        .With("$from", r.FromVersion).With("$to", r.ToVersion).With("$phases", RestartRows.PhasesJson(r))
        .With("$error", r.Error);
}
