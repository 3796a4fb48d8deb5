using System.Globalization;

namespace TaskOrchestrator.Core.Common;

/// <summary>Small helpers for the sentences tools answer with.</summary>
public static class Text
{
    /// <summary>"1 task", "2 tasks": <paramref name="count"/> with the singular or plural noun.</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");

    /// <summary>As <see cref="Count"/>, for a count that stopped at <paramref name="cap"/>: "1000 or more tasks" when it reached it.</summary>
    public static string CountUpTo(int count, int cap, string singular, string? plural = null) =>
        count >= cap
            ? string.Create(CultureInfo.InvariantCulture, $"{cap} or more {plural ?? singular + "s"}")
            : Count(count, singular, plural);
}
