using System.Globalization;

namespace TaskOrchestrator.Core.Common;

/// <summary>Small helpers for the sentences tools answer with.</summary>
public static class Text
{
    /// <summary>"1 task", "2 tasks": <paramref name="count"/> with the singular or plural noun.</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? singular : plural ?? singular + "s")}");
}
