using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Restart history in PostgreSQL; the phases are kept as a JSON array, as in the SQLite backend.</summary>
internal sealed class PostgresRestartStore : IRestartStore
{
    private const string Select = $"SELECT {RestartRows.Columns} FROM restart WHERE workspace_id = @ws AND id = @id";

    private const string Newest = $"SELECT {RestartRows.Columns} FROM restart WHERE workspace_id = @ws ORDER BY started_at DESC, id COLLATE \"C\" DESC LIMIT @limit";

    private const string Count = "SELECT count(*)::int FROM restart WHERE workspace_id = @ws";

    private static readonly RowWriter<RestartRecord> Writer = new(PostgresDialect.Instance, RestartRows.Written);

    private static readonly string Insert = RestartRows.Insert(Writer);

    private static readonly string Update = RestartRows.Update(Writer);

    private readonly PostgresStoreUnit _unit;

    public PostgresRestartStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(RestartRecord restart, CancellationToken cancellationToken) =>
        WriteAsync(Insert, restart, cancellationToken);

    public Task UpdateAsync(RestartRecord restart, CancellationToken cancellationToken) =>
        WriteAsync(Update, restart, cancellationToken);

    public Task<RestartRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(Select).With("ws", _unit.WorkspaceId).With("id", id), RestartRows.Read, cancellationToken);

    public async Task<(IReadOnlyList<RestartRecord> Items, int TotalCount)> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var restarts = await _unit.ListAsync(_unit.Read(Newest).With("ws", _unit.WorkspaceId).With("limit", limit), RestartRows.Read, cancellationToken);
        int total = (int)(await _unit.ScalarAsync(_unit.Read(Count).With("ws", _unit.WorkspaceId), cancellationToken))!;
        return (restarts, total);
    }

    private Task WriteAsync(string sql, RestartRecord restart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restart);
        var command = _unit.Write(sql);
        Writer.Bind(command, restart, _unit.WorkspaceId);
        return _unit.ExecuteAsync(command, cancellationToken);
    }
}
