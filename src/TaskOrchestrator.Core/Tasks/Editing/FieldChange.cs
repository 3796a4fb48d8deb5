using System.Text.Json.Nodes;

namespace TaskOrchestrator.Core.Tasks.Editing;

/// <summary>One field an update changed, with its old and new values.</summary>
/// <param name="Field">The field's wire name.</param>
/// <param name="From">The value before.</param>
/// <param name="To">The value after.</param>
public sealed record FieldChange(string Field, JsonNode? From, JsonNode? To);
