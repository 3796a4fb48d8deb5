namespace TaskOrchestrator.Core.Events;

/// <summary>The kinds of entries in the event log.</summary>
public static class EventKinds
{
    /// <summary>A task was created.</summary>
    public const string TaskCreated = "task_created";

    /// <summary>Fields of a task were edited.</summary>
    public const string TaskUpdated = "task_updated";

    /// <summary>A task changed status.</summary>
    public const string StatusChanged = "status_changed";

    /// <summary>A task was deleted.</summary>
    public const string TaskDeleted = "task_deleted";

    /// <summary>A dependency edge was added.</summary>
    public const string DependencyAdded = "dependency_added";

    /// <summary>A dependency edge was removed.</summary>
    public const string DependencyRemoved = "dependency_removed";

    /// <summary>An artifact was stored.</summary>
    public const string ArtifactStored = "artifact_stored";

    /// <summary>Artifacts were discarded with their task's work.</summary>
    public const string ArtifactsDiscarded = "artifacts_discarded";

    /// <summary>A session was created.</summary>
    public const string SessionCreated = "session_created";

    /// <summary>A session was resumed.</summary>
    public const string SessionResumed = "session_resumed";

    /// <summary>A session was archived.</summary>
    public const string SessionArchived = "session_archived";

    /// <summary>A session was deleted.</summary>
    public const string SessionDeleted = "session_deleted";

    /// <summary>The maintenance coordinator changed something.</summary>
    public const string MaintenanceAction = "maintenance_action";

    /// <summary>A health check of the server changed status (healthy, degraded, critical).</summary>
    public const string HealthTransition = "health_transition";

    /// <summary>A server instance that stopped heartbeating was found and marked dead.</summary>
    public const string InstanceDead = "instance_dead";

    /// <summary>A server instance let go of a task in progress that its agent keeps under its lease.</summary>
    public const string HoldDetached = "hold_detached";

    /// <summary>The agent holding a claimed task renewed its lease (a heartbeat).</summary>
    public const string LeaseRenewed = "lease_renewed";

    /// <summary>An agent registered, or changed its registration.</summary>
    public const string AgentRegistered = "agent_registered";

    /// <summary>An agent's claim circuit changed state (closed, open, half_open).</summary>
    public const string AgentCircuitChanged = "agent_circuit_changed";
}
