using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Storage.Relational;

namespace TaskOrchestrator.Storage.Sqlite.Stores;

/// <summary>Agents in SQLite.</summary>
internal sealed class SqliteAgentStore : IAgentStore
{
    private static readonly RowWriter<AgentRecord> Writer = new(SqliteDialect.Instance, AgentRows.Written);

    private static readonly string Upsert = AgentRows.Upsert(Writer);

    private readonly SqliteStoreUnit _unit;

    public SqliteAgentStore(SqliteStoreUnit unit)
    {
        _unit = unit;
    }

    public Task<AgentRecord?> GetAsync(string agentId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_unit.Read($"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = $ws AND id = $id").With("$ws", _unit.WorkspaceId).With("$id", agentId).ReadFirst(AgentRows.Read));
    }

    // One cached single-row lookup per id: in-process, a lookup costs no round trip, and it is cheaper
    // than expanding a JSON list of ids in SQL.
    public async Task<IReadOnlyList<AgentRecord>> GetManyAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken)
    {
        var found = new List<AgentRecord>(agentIds.Count);
        foreach (var id in agentIds.Distinct(StringComparer.Ordinal))
        {
            if (await GetAsync(id, cancellationToken) is { } agent)
            {
                found.Add(agent);
            }
        }

        return found;
    }

    public Task SaveAsync(AgentRecord agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Write(Upsert);
        Writer.Bind(command, agent, _unit.WorkspaceId);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var command = _unit.Read($"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = $ws ORDER BY id LIMIT $limit").With("$ws", _unit.WorkspaceId).With("$limit", limit);
        return Task.FromResult<IReadOnlyList<AgentRecord>>(command.ReadAll(AgentRows.Read));
    }

    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Convert.ToInt32(_unit.Read("SELECT count(*) FROM agent WHERE workspace_id = $ws").With("$ws", _unit.WorkspaceId).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
