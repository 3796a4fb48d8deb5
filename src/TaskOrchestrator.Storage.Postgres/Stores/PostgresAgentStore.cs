using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Postgres.Stores;

/// <summary>Agents in PostgreSQL.</summary>
internal sealed class PostgresAgentStore : IAgentStore
{
    private const string Select = $"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = @ws AND id = @id";

    private const string SelectMany = $"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = @ws AND id = ANY(@ids)";

    private const string List = $"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = @ws ORDER BY id COLLATE \"C\" LIMIT @limit";

    private const string Count = "SELECT count(*)::int FROM agent WHERE workspace_id = @ws";

    private static readonly RowWriter<AgentRecord> Writer = new(PostgresDialect.Instance, AgentRows.Written);

    private static readonly string Upsert = AgentRows.Upsert(Writer);

    private readonly PostgresStoreUnit _unit;

    public PostgresAgentStore(PostgresStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<AgentRecord?> GetAsync(string agentId, CancellationToken cancellationToken) =>
        _unit.FirstAsync(_unit.Read(Select).With("ws", _unit.WorkspaceId).With("id", agentId), AgentRows.Read, cancellationToken);

    public async Task<IReadOnlyList<AgentRecord>> GetManyAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken)
    {
        if (agentIds.Count == 0)
        {
            return [];
        }

        return await _unit.ListAsync(_unit.Read(SelectMany).With("ws", _unit.WorkspaceId).With("ids", agentIds), AgentRows.Read, cancellationToken);
    }

    public Task SaveAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var command = _unit.Write(Upsert);
        Writer.Bind(command, agent, _unit.WorkspaceId);
        return _unit.DeferAsync(command, null, cancellationToken);
    }

    public async Task<IReadOnlyList<AgentRecord>> ListAsync(int limit, CancellationToken cancellationToken) =>
        await _unit.ListAsync(_unit.Read(List).With("ws", _unit.WorkspaceId).With("limit", limit), AgentRows.Read, cancellationToken);

    public async Task<int> CountAsync(CancellationToken cancellationToken) =>
        (int)(await _unit.ScalarAsync(_unit.Read(Count).With("ws", _unit.WorkspaceId), cancellationToken))!;
}
