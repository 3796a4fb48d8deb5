using System.ComponentModel;
using System.Text.Json.Nodes;

namespace TaskOrchestrator.Mcp.Results;

/// <summary>The structured content of every tool error.</summary>
/// <param name="Error">What went wrong.</param>
public sealed record ErrorEnvelope([property: Description("Present only when the call failed. Nothing was changed, except with code interrupted: the call was in flight when its worker ended and may or may not have been applied (retry it with its idempotency_key).")] ErrorBody Error);

/// <summary>A tool error's details.</summary>
/// <param name="Code">Stable machine-readable code.</param>
/// <param name="Message">What was wrong, naming the value.</param>
/// <param name="Field">The argument concerned.</param>
/// <param name="Allowed">What would have been accepted.</param>
/// <param name="Hint">What to do next.</param>
/// <param name="Details">Extra facts, such as a task's current version.</param>
public sealed record ErrorBody(
    [property: Description("Stable machine-readable code, e.g. invalid_argument, not_found, version_conflict, illegal_transition, dependency_cycle.")] string Code,
    [property: Description("What was wrong, naming the offending value.")] string Message,
    [property: Description("The argument the error is about, as a path such as 'subtasks[2].title'; null when not about one argument.")] string? Field,
    [property: Description("The values or range that would have been accepted, when they can be listed.")] IReadOnlyList<string>? Allowed,
    [property: Description("What to do to resolve the error.")] string? Hint,
    [property: Description("Machine-readable facts such as current_version, cycle or missing ids.")] JsonObject? Details);
