using System.Text;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Reports;

/// <summary>Renders a <see cref="SynthesisReport"/> as a markdown report.</summary>
public static class SynthesisMarkdown
{
    /// <summary>The report, generated at <paramref name="generatedAt"/>.</summary>
    public static string Render(SynthesisReport report, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        var parent = report.Parent;
        var text = new StringBuilder();
        text.Line($"# Synthesis: {MarkdownText.Inline(parent.Title)}").AppendLine();
        text.Line($"Task `{parent.Id}` · status **{WireNames.Of(parent.Status)}** · generated {MarkdownText.Time(generatedAt)}").AppendLine();
        if (!string.IsNullOrWhiteSpace(parent.Description))
        {
            text.AppendLine(parent.Description.Trim()).AppendLine();
        }

        text.AppendLine("## Summary").AppendLine();
        text.Line($"- Subtasks: {report.Subtasks.Count}");
        foreach (var (status, count) in report.Counts.OrderBy(c => c.Key))
        {
            text.Line($"  - {WireNames.Of(status)}: {count}");
        }

        text.Line($"- Success rate (completed ÷ ended): {MarkdownText.Percent(report.SuccessRate)}");
        text.Line($"- Completion (completed ÷ all subtasks): {MarkdownText.Percent(report.CompletionRate)}");
        text.Line($"- Artifacts: {report.Artifacts.Count}").AppendLine();

        var artifactsByTask = report.Artifacts.ToLookup(a => a.TaskId);
        text.AppendLine("## Key outcomes").AppendLine();
        if (report.Outcomes.Count == 0)
        {
            text.AppendLine("No task of this subtree has completed yet.").AppendLine();
        }

        foreach (var outcome in report.Outcomes)
        {
            text.Line($"### {MarkdownText.Inline(outcome.Title)}").AppendLine();
            text.Line($"`{outcome.Id}` · {outcome.SpecialistType} · completed {MarkdownText.Time(outcome.CompletedAt)}").AppendLine();
            text.AppendLine(outcome.ResultSummary?.Trim()).AppendLine();
            foreach (var artifact in artifactsByTask[outcome.Id])
            {
                var files = artifact.FilePaths.Count == 0 ? string.Empty : $"; files: {string.Join(", ", artifact.FilePaths.Select(f => $"`{f}`"))}";
                text.Line($"- Artifact `{artifact.Id}` ({WireNames.Of(artifact.Type)}, {artifact.ContentLength} chars, {artifact.ContentHash}){files}");
            }

            text.AppendLine();
        }

        text.AppendLine("## Remaining work").AppendLine();
        if (report.Remaining.Count == 0)
        {
            text.AppendLine("Nothing remains open.").AppendLine();
        }

        foreach (var task in report.Remaining)
        {
            var reason = task.StatusReason is null ? string.Empty : $": {MarkdownText.Inline(task.StatusReason, 160)}";
            text.Line($"- [{WireNames.Of(task.Status)}] {MarkdownText.Inline(task.Title)} (`{task.Id}`){reason}");
        }

        text.AppendLine().AppendLine("## Timeline").AppendLine();
        text.AppendLine("| time | task | event | change | by |").AppendLine("|---|---|---|---|---|");
        foreach (var e in report.Timeline)
        {
            var change = e.From is null && e.To is null ? string.Empty : $"{e.From ?? "∅"} → {e.To ?? "∅"}";
            text.Line($"| {MarkdownText.Time(e.At)} | `{e.TaskId}` | {e.Kind} | {change} | {MarkdownText.Inline(e.Actor, 60)} |");
        }

        if (report.TimelineTruncated)
        {
            text.Line($"\nThe timeline shows the first {ResultSynthesizer.TimelineLimit} events.");
        }

        return text.ToString();
    }
}
