using System.Text.Json.Nodes;

namespace TaskOrchestrator.Core.Errors;

/// <summary>Shorthands that build and throw the common <see cref="OrchestratorException"/>s.</summary>
public static class Fail
{
    /// <summary>An argument value that is not acceptable.</summary>
    public static OrchestratorException Invalid(string field, string message, string? hint = null, IReadOnlyList<string>? allowed = null) =>
        new(new OrchestratorError(ErrorCodes.InvalidArgument, message, field, allowed, hint));

    /// <summary>A required argument that is absent or blank.</summary>
    public static OrchestratorException Missing(string field, string hint) =>
        new(new OrchestratorError(ErrorCodes.MissingArgument, $"'{field}' is required and must not be empty.", field, null, hint));

    /// <summary>A value above its documented limit.</summary>
    public static OrchestratorException TooLarge(string field, string message, string limit) =>
        new(new OrchestratorError(ErrorCodes.TooLarge, message, field, [limit], $"Shorten '{field}' to at most {limit} and call again."));

    /// <summary>An id that names nothing.</summary>
    public static OrchestratorException NotFound(string field, string kind, string id, string? hint = null) =>
        new(new OrchestratorError(
            ErrorCodes.NotFound,
            $"No {kind} with id '{id}' exists in this workspace.",
            field,
            null,
            hint ?? $"Check the id; orchestrator_query_tasks lists the {kind}s that exist."));

    /// <summary>A stale optimistic-concurrency version.</summary>
    public static OrchestratorException VersionConflict(string taskId, long expected, long current) =>
        new(new OrchestratorError(
            ErrorCodes.VersionConflict,
            $"Task '{taskId}' is at version {current}, not the expected version {expected}: someone changed it since you read it.",
            "expected_version",
            [current.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            "Read the task again, re-apply your change on top of the current values, and pass expected_version=" +
            current.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".",
            new JsonObject { ["current_version"] = current, ["expected_version"] = expected, ["task_id"] = taskId }));

    /// <summary>Any other coded error.</summary>
    public static OrchestratorException With(string code, string message, string? field = null, IReadOnlyList<string>? allowed = null, string? hint = null, JsonObject? details = null) =>
        new(new OrchestratorError(code, message, field, allowed, hint, details));
}
