namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// The tables that make up a workspace's history, in the order a target writes them (a row's references
/// are written before it). Both backends name these tables and columns alike; each backend maps the types.
/// Left out on purpose: <c>health_probe</c> (one scratch row that health checks overwrite) and
/// <c>schema_version</c> (the target has its own).
/// </summary>
public static class TransferSchema
{
    private static TransferColumn T(string name) => new(name, TransferColumnType.Text);

    private static TransferColumn I(string name) => new(name, TransferColumnType.Number);

    /// <summary>
    /// The workspace row itself. It is written when an import begins and verified like the tables, but read
    /// by its <c>id</c>, not by a <c>workspace_id</c> column.
    /// </summary>
    public static TransferTable Workspace { get; } = new("workspace", [T("id"), T("root_path"), I("created_at")], ["id"], null);

    /// <summary>Sessions.</summary>
    public static TransferTable Session { get; } = new(
        "session",
        [T("id"), T("name"), T("status"), T("client_info"), I("created_at"), I("last_activity_at"), I("version")],
        ["id"],
        null);

    /// <summary>Tasks with every column, lease and claim fields included.</summary>
    public static TransferTable Task { get; } = new(
        "task",
        [
            I("seq"), T("id"), T("session_id"), T("parent_id"), T("title"), T("description"), T("task_type"), T("specialist_type"),
            T("complexity"), I("complexity_rank"), T("priority"), I("priority_rank"), T("status"), I("version"), T("context_json"),
            T("estimated_effort"), I("due_at"), I("created_at"), I("updated_at"), I("started_at"), I("completed_at"), T("assigned_agent"),
            T("status_reason"), T("result_summary"), T("holder_instance_id"), I("lease_expires_at"), T("lease_token"), I("lease_fence"),
            I("lease_seconds"),
        ],
        ["seq"],
        "seq");

    /// <summary>Dependencies between tasks.</summary>
    public static TransferTable Dependency { get; } = new(
        "dependency",
        [T("task_id"), T("depends_on_id"), T("kind"), I("created_at")],
        ["task_id", "depends_on_id"],
        null);

    /// <summary>Artifacts with their content and its hash.</summary>
    public static TransferTable Artifact { get; } = new(
        "artifact",
        [I("seq"), T("id"), T("task_id"), T("artifact_type"), T("summary"), T("content"), T("content_hash"), I("content_length"), T("file_paths_json"), T("created_by"), I("created_at")],
        ["seq"],
        "seq");

    /// <summary>The event log; its numbers are what readers resume after (<c>Last-Event-ID</c>).</summary>
    public static TransferTable Event { get; } = new(
        "event",
        [I("seq"), T("kind"), T("task_id"), T("session_id"), T("actor"), T("from_state"), T("to_state"), T("data_json"), I("at")],
        ["seq"],
        "seq");

    /// <summary>Stored results of idempotent calls, so a retried call after the move still answers the same.</summary>
    public static TransferTable Idempotency { get; } = new(
        "idempotency",
        [T("key"), T("tool"), T("request_hash"), T("result_json"), T("result_text"), I("created_at")],
        ["key"],
        null);

    /// <summary>Agents with their counters and claim circuit.</summary>
    public static TransferTable Agent { get; } = new(
        "agent",
        [
            T("id"), T("name"), T("kind"), T("specialist_types_json"), T("client_info"), I("registered_at"), I("updated_at"), I("last_seen_at"),
            I("last_heartbeat_at"), I("claims"), I("heartbeats"), I("completed"), I("needs_revision"), I("blocked"), I("failed"), I("released"),
            I("lease_expired"), I("duration_count"), I("duration_total_ms"), T("circuit_state"), I("circuit_opened_at"), I("circuit_retry_at"),
            T("circuit_probe_task_id"), I("circuit_opens"),
        ],
        ["id"],
        null);

    /// <summary>Server instances: the history that restarts and task holders refer to.</summary>
    public static TransferTable ServerInstance { get; } = new(
        "server_instance",
        [
            T("id"), T("role"), T("parent_id"), T("host"), I("process_id"), I("process_started_at"), T("executable"), T("version"), T("state"),
            I("started_at"), I("heartbeat_at"), I("stopped_at"), T("detail"),
        ],
        ["id"],
        null);

    /// <summary>Restart history.</summary>
    public static TransferTable Restart { get; } = new(
        "restart",
        [
            T("id"), T("instance_id"), T("kind"), T("reason"), new("graceful", TransferColumnType.Boolean), T("requested_by"), I("started_at"),
            I("finished_at"), T("outcome"), T("from_version"), T("to_version"), T("phases_json"), T("error"),
        ],
        ["id"],
        null);

    /// <summary>Every table, in write order.</summary>
    public static IReadOnlyList<TransferTable> Tables { get; } = [Session, Task, Dependency, Artifact, Event, Idempotency, Agent, ServerInstance, Restart];

    /// <summary>The tables that hold a workspace's rows, in the order to delete them (references first).</summary>
    public static IReadOnlyList<string> DeleteOrder { get; } = ["dependency", "artifact", "event", "idempotency", "agent", "restart", "server_instance", "health_probe", "task", "session"];
}
