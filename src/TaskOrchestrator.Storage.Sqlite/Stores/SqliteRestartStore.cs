using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Restart history in SQLite; the phases are kept as a JSON array.</summary>
internal sealed class SqliteRestartStore : IRestartStore
{
    private static readonly RowWriter<RestartRecord> Writer = new(SqliteDialect.Instance, RestartRows.Written);

    private static readonly string Insert = RestartRows.Insert(Writer);

    private static readonly string Update = RestartRows.Update(Writer);

    private readonly SqliteStoreUnit _unit;

    public SqliteRestartStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task InsertAsync(RestartRecord restart, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(Insert, restart);
        return Task.CompletedTask;
    }

    public Task UpdateAsync(RestartRecord restart, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(Update, restart);
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

    private void Write(string sql, RestartRecord restart)
    {
        ArgumentNullException.ThrowIfNull(restart);
        var command = _unit.Write(sql);
        Writer.Bind(command, restart, _unit.WorkspaceId);
        command.ExecuteNonQuery();
    }
}
