using System.Text.Json;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Restart history in SQLite; the phases are kept as a JSON array.</summary>
internal sealed class SqliteRestartStore : IRestartStore
{
    private const string Columns = "id, workspace_id, instance_id, kind, reason, graceful, requested_by, started_at, finished_at, outcome, from_version, to_version, phases_json, error";

    private readonly SqliteStoreUnit _unit;

    public SqliteRestartStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(RestartRecord restart, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Bind(_unit.Write($"INSERT INTO restart ({Columns}) VALUES ($id, $ws, $instance, $kind, $reason, $graceful, $by, $started, $finished, $outcome, $from, $to, $phases, $error)"), restart)
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
        using var reader = _unit.Read($"SELECT {Columns} FROM restart WHERE id = $id AND workspace_id = $ws").With("$id", id).With("$ws", _unit.WorkspaceId).ExecuteReader();
        return Task.FromResult(reader.Read() ? Read(reader) : null);
    }

    public Task<(IReadOnlyList<RestartRecord> Items, int TotalCount)> ListAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var restarts = new List<RestartRecord>();
        using (var reader = _unit.Read($"SELECT {Columns} FROM restart WHERE workspace_id = $ws ORDER BY started_at DESC, id DESC LIMIT $limit")
            .With("$ws", _unit.WorkspaceId).With("$limit", limit).ExecuteReader())
        {
            while (reader.Read())
            {
                restarts.Add(Read(reader));
            }
        }

        int total = Convert.ToInt32(_unit.Read("SELECT count(*) FROM restart WHERE workspace_id = $ws").With("$ws", _unit.WorkspaceId).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult<(IReadOnlyList<RestartRecord>, int)>((restarts, total));
    }

    private static SqliteCommand Bind(SqliteCommand command, RestartRecord r) => command
        .With("$id", r.Id).With("$ws", r.WorkspaceId).With("$instance", r.InstanceId).With("$kind", WireNames.Of(r.Kind))
        .With("$reason", WireNames.Of(r.Reason)).With("$graceful", r.Graceful).With("$by", r.RequestedBy)
        .With("$started", Sql.Ms(r.StartedAt)).With("$finished", Sql.MsOrNull(r.FinishedAt)).With("$outcome", WireNames.Of(r.Outcome))
        .With("$from", r.FromVersion).With("$to", r.ToVersion).With("$phases", JsonSerializer.Serialize(r.Phases.ToArray(), SqliteJson.Default.RestartPhaseRecordArray))
        .With("$error", r.Error);

    private static RestartRecord Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkspaceId = r.GetString(1),
        InstanceId = r.GetString(2),
        Kind = WireNames.FromStore<RestartKind>(r.GetString(3)),
        Reason = WireNames.FromStore<RestartReason>(r.GetString(4)),
        Graceful = r.GetBoolean(5),
        RequestedBy = Sql.StringOrNull(r, 6),
        StartedAt = Sql.Time(r, 7),
        FinishedAt = Sql.TimeOrNull(r, 8),
        Outcome = WireNames.FromStore<RestartOutcome>(r.GetString(9)),
        FromVersion = Sql.StringOrNull(r, 10),
        ToVersion = Sql.StringOrNull(r, 11),
        Phases = JsonSerializer.Deserialize(r.GetString(12), SqliteJson.Default.RestartPhaseRecordArray) ?? [],
        Error = Sql.StringOrNull(r, 13),
    };
}
