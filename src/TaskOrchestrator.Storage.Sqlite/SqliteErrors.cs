using Microsoft.Data.Sqlite;
using SQLitePCL;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Storage.Sqlite;

/// <summary>Turns SQLite failures that a user can act on into clear errors; the rest stay exceptions.</summary>
internal static class SqliteErrors
{
    public static Exception From(int resultCode, string message, string doing) => (resultCode & 0xFF) switch
    {
        raw.SQLITE_FULL => Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The disk holding the workspace database is full ({message}) while {doing}; nothing was changed.",
            null,
            null,
            "Free disk space, then retry the call."),
        raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB => Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The workspace database is damaged ({message}) while {doing}.",
            null,
            null,
            "Restore it from a backup (see docs/operations.md); run orchestrator_maintenance_coordinator action='validate_structure' validation_level='thorough' for details."),
        raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN or raw.SQLITE_PERM or raw.SQLITE_IOERR => Fail.With(
            ErrorCodes.WorkspaceUnavailable,
            $"The workspace database cannot be written ({message}) while {doing}; nothing was changed.",
            null,
            null,
            "Check that the .task-orchestrator folder exists, is writable by this user and lies on a local disk."),
        _ => new SqliteException($"SQLite error {resultCode} while {doing}: {message}", resultCode),
    };

    /// <summary>Translates a driver exception when it is one a user can act on.</summary>
    public static Exception Translate(SqliteException exception, string doing) =>
        From(exception.SqliteErrorCode, exception.Message, doing) is OrchestratorException translated
            ? new OrchestratorException(translated.Error, exception)
            : exception;
}
