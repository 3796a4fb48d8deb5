using System.Globalization;
using System.Text;

namespace TaskOrchestrator.Core.Reports;

/// <summary>Small helpers for the markdown documents the server writes.</summary>
internal static class MarkdownText
{
    /// <summary>Text safe inside a table cell or a one-line list item.</summary>
    public static string Inline(string? text, int max = 200)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var flat = text.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Trim();
        return flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max - 1), "…");
    }

    /// <summary>An instant as <c>yyyy-MM-dd HH:mm:ss UTC</c>.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is null ? "-" : at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A ratio as a percentage with one decimal.</summary>
    public static string Percent(double? ratio) =>
        ratio is null ? "n/a" : (ratio.Value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>Appends a line built with the invariant culture.</summary>
    public static StringBuilder Line(this StringBuilder text, FormattableString line) =>
        text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}
