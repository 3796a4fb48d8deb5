namespace TaskOrchestrator.Core.Common;

/// <summary>Time as the store keeps it.</summary>
public static class Clock
{
    /// <summary>
    /// The current UTC time truncated to whole milliseconds, the precision every backend stores, so
    /// a record read back compares equal to the one written.
    /// </summary>
    public static DateTimeOffset Now(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Truncate(time.GetUtcNow());
    }

    /// <summary>Truncates an instant to whole milliseconds in UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
