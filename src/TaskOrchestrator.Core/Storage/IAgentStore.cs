using TaskOrchestrator.Core.Agents;

namespace TaskOrchestrator.Core.Storage;

/// <summary>
/// The agents of a workspace, with their counters and claim circuits. Callers read an agent, change it
/// and save it in one write unit; write units serialize, so nothing changes the row in between.
/// </summary>
public interface IAgentStore
{
    /// <summary>The agent with <paramref name="agentId"/> in this workspace, or null.</summary>
    Task<AgentRecord?> GetAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>The agents of this workspace among <paramref name="agentIds"/>, in no particular order; unknown ids are left out.</summary>
    Task<IReadOnlyList<AgentRecord>> GetManyAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken);

    /// <summary>Inserts the agent, or replaces every field of its row.</summary>
    Task SaveAsync(AgentRecord agent, CancellationToken cancellationToken);

    /// <summary>The workspace's agents ordered by id, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AgentRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>How many agents the workspace has.</summary>
    Task<int> CountAsync(CancellationToken cancellationToken);
}
