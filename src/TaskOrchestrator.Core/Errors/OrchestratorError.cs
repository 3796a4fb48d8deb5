using System.Text.Json.Nodes;

namespace TaskOrchestrator.Core.Errors;

/// <summary>
/// A user-facing error: what was wrong (<see cref="Message"/>), with which value (<see cref="Field"/>),
/// what is allowed (<see cref="Allowed"/>) and what to do (<see cref="Hint"/>).
/// </summary>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="Message">A complete sentence naming the offending value.</param>
/// <param name="Field">The argument the error is about, if any.</param>
/// <param name="Allowed">The values or range that would have been accepted, if enumerable.</param>
/// <param name="Hint">The next step that resolves the error.</param>
/// <param name="Details">Extra machine-readable facts, such as the current version of a task.</param>
public sealed record OrchestratorError(
    string Code,
    string Message,
    string? Field = null,
    IReadOnlyList<string>? Allowed = null,
    string? Hint = null,
    JsonObject? Details = null);
