using Npgsql;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Storage.Postgres;

/// <summary>
/// Turns PostgreSQL failures a user can act on into the same clear errors the SQLite backend raises
/// (see <c>SqliteErrors</c>); constraint violations and the rest stay driver exceptions, as on SQLite.
/// </summary>
internal static class PostgresErrors
{
    public static Exception Translate(Exception exception, string doing, TimeSpan busyTimeout) => exception switch
    {
        PostgresException pg => FromServer(pg, doing, busyTimeout) is { } translated ? new OrchestratorException(translated.Error, exception) : exception,
        NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException =>
            new OrchestratorException(Unreachable(npgsql.Message, doing).Error, exception),
        _ => exception,
    };

    /// <summary>True for errors that mean "retry later", so the unit is not worth logging as a failure.</summary>
    public static bool IsBusy(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    private static OrchestratorException? FromServer(PostgresException exception, string doing, TimeSpan busyTimeout) => exception.SqlState switch
    {
        // lock_timeout reached on the workspace's write lock; serialization failures and deadlocks are the
        // same situation seen from another angle: the transaction lost to a concurrent one and changed nothing.
        PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected => Busy(busyTimeout),
        PostgresErrorCodes.DiskFull or PostgresErrorCodes.OutOfMemory or PostgresErrorCodes.InsufficientResources => Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The PostgreSQL server ran out of resources ({exception.MessageText}) while {doing}; nothing was changed.",
            null,
            null,
            "Free disk space or memory on the database server, then retry the call."),
        PostgresErrorCodes.DataCorrupted or PostgresErrorCodes.IndexCorrupted => Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The PostgreSQL database is damaged ({exception.MessageText}) while {doing}.",
            null,
            null,
            "Restore it from a backup (see docs/operations.md)."),
        PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidPassword
            or PostgresErrorCodes.InvalidAuthorizationSpecification or PostgresErrorCodes.InvalidCatalogName => Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The PostgreSQL database cannot be used ({exception.MessageText}) while {doing}; nothing was changed.",
            null,
            null,
            "Check the connection string's database, user and password, and that the user may create tables and write (a primary, not a read replica)."),
        PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.ConnectionFailure or PostgresErrorCodes.ConnectionException or PostgresErrorCodes.TooManyConnections =>
            Unreachable(exception.MessageText, doing),
        _ => null,
    };

    /// <summary>The error for a writer that waited the whole busy timeout for its turn.</summary>
    public static OrchestratorException Busy(TimeSpan timeout) =>
        Fail.With(
            ErrorCodes.StoreBusy,
            $"The workspace stayed locked by another writer for {timeout.TotalSeconds:0.###} s; nothing was changed.",
            null,
            null,
            "Retry the call (with the same idempotency_key if it had one). If this persists, another server instance is holding the workspace: see orchestrator_health_check.");

    private static OrchestratorException Unreachable(string message, string doing) =>
        Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The PostgreSQL server could not be reached or dropped the connection ({message}) while {doing}.",
            null,
            null,
            "Check that the database server is running and reachable, then retry the call (with the same idempotency_key if it had one).");
}
