using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Stored results of idempotent calls in SQLite.</summary>
internal sealed class SqliteIdempotencyStore : IIdempotencyStore
{
    private readonly SqliteStoreUnit _unit;

    public SqliteIdempotencyStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var r = _unit.Read("SELECT workspace_id, key, tool, request_hash, result_json, result_text, created_at FROM idempotency WHERE workspace_id = $ws AND key = $key")
            .With("$ws", _unit.WorkspaceId).With("$key", key).ExecuteReader();
        return Task.FromResult(r.Read()
            ? new IdempotencyRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Sql.Time(r, 6))
            : null);
    }

    public Task InsertAsync(IdempotencyRecord record, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _unit.Write("INSERT INTO idempotency (workspace_id, key, tool, request_hash, result_json, result_text, created_at) VALUES ($ws, $key, $tool, $hash, $json, $text, $at)")
            .With("$ws", record.WorkspaceId).With("$key", record.Key).With("$tool", record.Tool).With("$hash", record.RequestHash)
            .With("$json", record.ResultJson).With("$text", record.ResultText).With("$at", Sql.Ms(record.CreatedAt))
            .ExecuteNonQuery();
        return Task.CompletedTask;
    }
}
