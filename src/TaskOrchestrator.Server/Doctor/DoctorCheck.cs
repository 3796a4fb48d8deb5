using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>The result of one doctor check.</summary>
/// <param name="Name">The check's name, such as "workspace".</param>
/// <param name="Status">How it came out.</param>
/// <param name="Finding">What was found, in one line.</param>
/// <param name="Hint">What to do about it; null when there is nothing to do.</param>
/// <param name="Figures">The measured values behind the finding, for machines.</param>
internal sealed record DoctorCheck(string Name, DoctorStatus Status, string Finding, string? Hint, JsonObject Figures)
{
    public static DoctorCheck Ok(string name, string finding, JsonObject figures) => new(name, DoctorStatus.Ok, finding, null, figures);

    public static DoctorCheck Warning(string name, string finding, string hint, JsonObject figures) => new(name, DoctorStatus.Warning, finding, hint, figures);

    public static DoctorCheck Critical(string name, string finding, string hint, JsonObject figures) => new(name, DoctorStatus.Critical, finding, hint, figures);

    /// <summary>The wire name of a status: ok, warning or critical.</summary>
    public static string WireName(DoctorStatus status) => status switch
    {
        DoctorStatus.Ok => "ok",
        DoctorStatus.Warning => "warning",
        _ => "critical",
    };
}
