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

    public Task<IReadOnlyList<AgentRecord>> GetManyAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (agentIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<AgentRecord>>([]);
        }

        var command = _unit.Read($"SELECT {AgentRows.Columns} FROM agent WHERE workspace_id = $ws AND id IN (SELECT value FROM json_each($ids))");
        command.With("$ws", _unit.WorkspaceId).With("$ids", Sql.JsonList(agentIds));
        return Task.FromResult<IReadOnlyList<AgentRecord>>(command.ReadAll(AgentRows.Read));
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
