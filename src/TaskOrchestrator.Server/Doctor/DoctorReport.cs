using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>The doctor's checks in their display order, with the overall status and how to print them.</summary>
internal sealed class DoctorReport
{
    private const string Indent = "  ";

    // Relaxed escaping: findings quote paths with ' and must stay readable; this is no HTML context.
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public DoctorReport(IReadOnlyList<DoctorCheck> checks)
    {
        Checks = checks;
        Status = checks.Count == 0 ? DoctorStatus.Ok : checks.Max(c => c.Status);
    }

    public IReadOnlyList<DoctorCheck> Checks { get; }

    /// <summary>The worst status of any check.</summary>
    public DoctorStatus Status { get; }

    /// <summary>0 when nothing is critical, 1 otherwise.</summary>
    public int ExitCode => Status == DoctorStatus.Critical ? 1 : 0;

    /// <summary>The report as one JSON object: <c>{ "checks": [ { name, status, finding, hint, figures } ], "status" }</c>.</summary>
    public string ToJson()
    {
        var checks = new JsonArray();
        foreach (var check in Checks)
        {
            checks.Add(new JsonObject
            {
                ["name"] = check.Name,
                ["status"] = DoctorCheck.WireName(check.Status),
                ["finding"] = check.Finding,
                ["hint"] = check.Hint,
                ["figures"] = check.Figures.DeepClone(),
            });
        }

        var report = new JsonObject { ["checks"] = checks, ["status"] = DoctorCheck.WireName(Status) };
        return report.ToJsonString(JsonOptions);
    }

    /// <summary>An aligned plain-text table, a fix line under each check that has one, and a summary line last.</summary>
    public void WriteTable(TextWriter output, string title)
    {
        int nameWidth = Math.Max("CHECK".Length, Checks.Max(c => c.Name.Length)) + 2;
        int statusWidth = "critical".Length + 2;
        output.WriteLine(title);
        output.WriteLine();
        output.WriteLine(Row("CHECK", "STATUS", "FINDING"));
        foreach (var check in Checks)
        {
            output.WriteLine(Row(check.Name, DoctorCheck.WireName(check.Status), check.Finding));
            if (check.Hint is not null)
            {
                output.WriteLine(Row(string.Empty, string.Empty, "fix: " + check.Hint));
            }
        }

        output.WriteLine();
        output.WriteLine(Summary());

        string Row(string name, string status, string text) => (Indent + name.PadRight(nameWidth) + status.PadRight(statusWidth) + text).TrimEnd();
    }

    /// <summary>One line: the overall status, the counts and what it means for serving.</summary>
    public string Summary()
    {
        int critical = Checks.Count(c => c.Status == DoctorStatus.Critical);
        int warnings = Checks.Count(c => c.Status == DoctorStatus.Warning);
        int ok = Checks.Count(c => c.Status == DoctorStatus.Ok);
        var meaning = Status switch
        {
            DoctorStatus.Critical => "fix the critical checks before serving.",
            DoctorStatus.Warning => "ready to serve; the warnings deserve a look.",
            _ => "ready to serve.",
        };
        return string.Create(CultureInfo.InvariantCulture, $"{DoctorCheck.WireName(Status)}: {critical} critical, {warnings} warning{(warnings == 1 ? string.Empty : "s")}, {ok} ok; {meaning}");
    }
}
