namespace TaskOrchestrator.Core.Errors;

/// <summary>
/// Stable, machine-readable error codes carried in every tool error as <c>error.code</c>.
/// Clients branch on these; their spelling is part of the public contract.
/// </summary>
public static class ErrorCodes
{
    /// <summary>An argument has the wrong type, format or value.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>A required argument is absent or empty.</summary>
    public const string MissingArgument = "missing_argument";

    /// <summary>An argument name the tool does not accept.</summary>
    public const string UnknownArgument = "unknown_argument";

    /// <summary>A value is longer or larger than the documented limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>An id that names nothing in this workspace.</summary>
    public const string NotFound = "not_found";

    /// <summary>The caller's <c>expected_version</c> is stale.</summary>
    public const string VersionConflict = "version_conflict";

    /// <summary>The requested status change is not a legal move from the current status.</summary>
    public const string IllegalTransition = "illegal_transition";

    /// <summary>The change would make the dependency graph cyclic.</summary>
    public const string DependencyCycle = "dependency_cycle";

    /// <summary>The task cannot start because some of its dependencies are not completed.</summary>
    public const string DependenciesIncomplete = "dependencies_incomplete";

    /// <summary>Other tasks depend on the task, so it cannot be removed without <c>force</c>.</summary>
    public const string HasDependents = "has_dependents";

    /// <summary>The task has subtasks that block the operation.</summary>
    public const string HasChildren = "has_children";

    /// <summary>A task is held by another agent.</summary>
    public const string TaskHeld = "task_held";

    /// <summary>The task is claimed by an agent and the write did not present the claim's lease token.</summary>
    public const string LeaseRequired = "lease_required";

    /// <summary>The lease token presented is not the task's current claim: stale (the claim ended or was taken over) or another agent's.</summary>
    public const string LeaseLost = "lease_lost";

    /// <summary>The agent's circuit is open (its risk went critical) or it is on probation with its one probe task: no new claim now.</summary>
    public const string CircuitOpen = "circuit_open";

    /// <summary>A file path resolves outside the workspace.</summary>
    public const string PathOutsideWorkspace = "path_outside_workspace";

    /// <summary>A referenced file does not exist.</summary>
    public const string FileNotFound = "file_not_found";

    /// <summary>An idempotency key was reused with different arguments or for another tool.</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    /// <summary>The workspace or its store cannot be opened.</summary>
    public const string WorkspaceUnavailable = "workspace_unavailable";

    /// <summary>A per-workspace configuration file is malformed.</summary>
    public const string InvalidConfiguration = "invalid_configuration";

    /// <summary>The store stayed locked by other writers past the busy timeout.</summary>
    public const string StoreBusy = "store_busy";

    /// <summary>An unexpected server-side failure; nothing was changed.</summary>
    public const string InternalError = "internal_error";

    /// <summary>The server is shutting down and takes no new calls; nothing was changed.</summary>
    public const string ServerShuttingDown = "server_shutting_down";

    /// <summary>The operation needs a supervisor and this server runs without one.</summary>
    public const string NotSupervised = "not_supervised";

    /// <summary>
    /// The worker process ended while the call was in flight; the call may or may not have been
    /// applied. Retry it with the same idempotency key.
    /// </summary>
    public const string Interrupted = "interrupted";

    /// <summary>Workers crashed repeatedly and the supervisor stopped restarting them; nothing was changed.</summary>
    public const string ServerCritical = "server_critical";

    /// <summary>The server is restarting and holds as many calls as it may; nothing was changed.</summary>
    public const string ServerBusy = "server_busy";

    /// <summary>A restart is already under way; nothing was changed.</summary>
    public const string RestartInProgress = "restart_in_progress";
}
