using Npgsql;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Restart history in PostgreSQL; the phases are kept as a JSON array, as in the SQLite backend.</summary>
internal sealed class PostgresRestartStore : IRestartStore
{
    private const string Insert = $"INSERT INTO restart ({RestartRows.Columns}) VALUES (@id, @ws, @instance, @kind, @reason, @graceful, @by, @started, @finished, @outcome, @from, @to, @phases, @error)";

    private const string Update = """
        UPDATE restart SET instance_id = @instance, kind = @kind, reason = @reason, graceful = @graceful, requested_by = @by, started_at = @started,
            finished_at = @finished, outcome = @outcome, from_version = @from, to_version = @to, phases_json = @phases, error = @error
        WHERE workspace_id = @ws AND id = @id
        """;

    private const string Select = $"SELECT {RestartRows.Columns} FROM restart WHERE workspace_id = @ws AND id = @id";

    private const string Newest = $"SELECT {RestartRows.Columns} FROM restart WHERE workspace_id = @ws ORDER BY started_at DESC, id COLLATE \"C\" DESC LIMIT @limit";

    private const string Count = "SELECT count(*)::int FROM restart WHERE workspace_id = @ws";

    private readonly PostgresStoreUnit _unit;

    public PostgresRestartStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(RestartRecord restart, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(Bind(_unit.Write(Insert), restart), cancellationToken);

    public Task UpdateAsync(RestartRecord restart, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(Bind(_unit.Write(Update), restart), cancellationToken);

    public Task<RestartRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(Select).With("ws", _unit.WorkspaceId).With("id", id), RestartRows.Read, cancellationToken);

    public async Task<(IReadOnlyList<RestartRecord> Items, int TotalCount)> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var restarts = await _unit.ListAsync(_unit.Read(Newest).With("ws", _unit.WorkspaceId).With("limit", limit), RestartRows.Read, cancellationToken);
        int total = (int)(await _unit.ScalarAsync(_unit.Read(Count).With("ws", _unit.WorkspaceId), cancellationToken))!;
        return (restarts, total);
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, RestartRecord r) => command
        .With("id", r.Id).With("ws", r.WorkspaceId).With("instance", r.InstanceId).With("kind", WireNames.Of(r.Kind))
        .With("reason", WireNames.Of(r.Reason)).With("graceful", r.Graceful).With("by", r.RequestedBy)
        .With("started", Pg.Ms(r.StartedAt)).With("finished", Pg.MsOrNull(r.FinishedAt)).With("outcome", WireNames.Of(r.Outcome))
        .With("from", r.FromVersion).With("to", r.ToVersion).With("phases", RestartRows.PhasesJson(r))
        .With("error", r.Error);
}
