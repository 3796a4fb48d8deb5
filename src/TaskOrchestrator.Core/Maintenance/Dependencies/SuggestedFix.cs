using System.Text.Json.Nodes;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>How to resolve a finding.</summary>
/// <param name="Tool">The tool call that fixes it, or null when no tool can (the description then says what to do).</param>
/// <param name="Arguments">The arguments of that call, ready to send; null when <paramref name="Tool"/> is.</param>
/// <param name="Description">What the fix does and the alternatives.</param>
public sealed record SuggestedFix(string? Tool, JsonObject? Arguments, string Description);
