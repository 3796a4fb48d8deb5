using TaskOrchestrator.Core.Idempotency;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Stored results of idempotent calls in PostgreSQL.</summary>
internal sealed class PostgresIdempotencyStore : IIdempotencyStore
{
    private const string Select = "SELECT workspace_id, key, tool, request_hash, result_json, result_text, created_at FROM idempotency WHERE workspace_id = @ws AND key = @key";

    private const string Insert = "INSERT INTO idempotency (workspace_id, key, tool, request_hash, result_json, result_text, created_at) VALUES (@ws, @key, @tool, @hash, @json, @text, @at)";

    private readonly PostgresStoreUnit _unit;

    public PostgresIdempotencyStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken) =>
        _unit.FirstAsync(
            _unit.Read(Select).With("ws", _unit.WorkspaceId).With("key", key),
            r => new IdempotencyRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Pg.Time(r, 6)),
            cancellationToken);

    public Task InsertAsync(IdempotencyRecord record, CancellationToken cancellationToken) =>
        _unit.ExecuteAsync(
            _unit.Write(Insert)
                .With("ws", record.WorkspaceId).With("key", record.Key).With("tool", record.Tool).With("hash", record.RequestHash)
                .With("json", record.ResultJson).With("text", record.ResultText).With("at", Pg.Ms(record.CreatedAt)),
            cancellationToken);
}
