namespace TaskOrchestrator.Storage.Postgres.Connections;

/// <summary>
/// The advisory lock keys of the backend. PostgreSQL's two-key form keeps them in a space of their own
/// (<see cref="Namespace"/>) apart from any other application's advisory locks in the same database.
/// </summary>
internal static class WorkspaceLocks
{
    /// <summary>The first key of every lock this backend takes: "TOrc" in ASCII.</summary>
    public const int Namespace = 0x544F7263;

    /// <summary>The second key of the lock migrations run under.</summary>
    public const int Migrations = 0;

    /// <summary>
    /// Takes a workspace's write lock for the rest of the transaction. The second key is a hash of the
    /// workspace id: two workspaces whose hashes collide merely serialize their writes, nothing more.
    /// </summary>
    public const string TakeWriteLock = "SELECT pg_advisory_xact_lock(@ns, hashtext(@ws))";

    /// <summary>Tries the workspace's write lock without waiting; true when it was free (and is now held until rollback).</summary>
    public const string TryWriteLock = "SELECT pg_try_advisory_xact_lock(@ns, hashtext(@ws))";

    /// <summary>Takes the migration lock for the rest of the transaction.</summary>
    public const string TakeMigrationLock = "SELECT pg_advisory_xact_lock(@ns, @key)";
}
