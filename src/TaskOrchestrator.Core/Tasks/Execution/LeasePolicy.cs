namespace TaskOrchestrator.Core.Tasks.Execution;

/// <summary>How long work in progress stays held by the agent that started it without news from it.</summary>
/// <param name="Duration">The hold granted when a task starts; each report or update by the holder renews it.</param>
public sealed record LeasePolicy(TimeSpan Duration)
{
    /// <summary>One hour: long enough for a focused piece of work between two calls of an agent.</summary>
    public static LeasePolicy Default { get; } = new(TimeSpan.FromHours(1));
}
