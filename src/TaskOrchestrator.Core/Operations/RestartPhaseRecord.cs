namespace TaskOrchestrator.Core.Operations;

/// <summary>One phase of a restart as it happened.</summary>
/// <param name="Phase">The phase.</param>
/// <param name="StartedAt">When it began.</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="Succeeded">Whether it did what it had to.</param>
/// <param name="Detail">What happened, in a sentence.</param>
public sealed record RestartPhaseRecord(RestartPhase Phase, DateTimeOffset StartedAt, double DurationMs, bool Succeeded, string? Detail);
