namespace TaskOrchestrator.Storage.Postgres.Notifications;

/// <summary>
/// The LISTEN/NOTIFY channel of the backend. Notifications are scoped to the database by PostgreSQL, so
/// one fixed channel name is a channel per database; the payload is the id of the workspace that changed.
/// </summary>
internal static class ChangeNotifications
{
    /// <summary>The channel every process of the backend listens on.</summary>
    public const string Channel = "task_orchestrator_changes";

    /// <summary>Queues the notification in the current transaction; sent when it commits.</summary>
    public const string Notify = $"SELECT pg_notify('{Channel}', @ws)";

    /// <summary>Subscribes the listen connection.</summary>
    public const string Listen = $"LISTEN {Channel}";
}
