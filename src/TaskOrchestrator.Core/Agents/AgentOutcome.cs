namespace TaskOrchestrator.Core.Agents;

/// <summary>How a claim of an agent ended.</summary>
public enum AgentOutcome
{
    /// <summary>The agent completed the task.</summary>
    Completed,

    /// <summary>The agent sent the task back for revision (complete_task next_action=needs_revision).</summary>
    NeedsRevision,

    /// <summary>The agent reported the task blocked.</summary>
    Blocked,

    /// <summary>The agent marked the task failed.</summary>
    Failed,

    /// <summary>The agent gave the task back (release_task, or update to pending).</summary>
    Released,

    /// <summary>The agent stopped heartbeating and the task was reclaimed when its lease ran out.</summary>
    LeaseExpired,
}
