using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Mcp.Operations.Health;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>
/// Free space on the workspace's file system, judged by the same thresholds as the server's health
/// check (<see cref="HealthOptions"/>: section <c>Health</c>, keys <c>DiskFree*</c>).
/// </summary>
internal static class DiskSpaceCheck
{
    public const string Name = "disk_space";

    private const double Gib = 1024.0 * 1024 * 1024;

    public static DoctorCheck Run(string? workspaceRoot, HealthOptions thresholds)
    {
        var figures = new JsonObject
        {
            ["warning_below_bytes"] = thresholds.DiskFreeDegradedBytes,
            ["warning_below_percent"] = thresholds.DiskFreeDegradedPercent,
            ["critical_below_bytes"] = thresholds.DiskFreeCriticalBytes,
            ["critical_below_percent"] = thresholds.DiskFreeCriticalPercent,
        };
        if (workspaceRoot is null)
        {
            return DoctorCheck.Warning(Name, "Not checked: there is no usable workspace folder.", "Fix the workspace check first.", figures);
        }

        long free;
        long total;
        try
        {
            // On Unix a DriveInfo may name any path: statvfs reports the file system that holds it.
            var drive = new DriveInfo(workspaceRoot);
            free = drive.AvailableFreeSpace;
            total = drive.TotalSize;
            figures["file_system"] = drive.DriveFormat;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return DoctorCheck.Warning(Name, $"The free space of '{workspaceRoot}' cannot be read: {ex.Message}", "Check the file system holding the workspace with df -h.", figures);
        }

        double percent = total > 0 ? Math.Round(100.0 * free / total, 2) : 0;
        figures["path"] = workspaceRoot;
        figures["free_bytes"] = free;
        figures["total_bytes"] = total;
        figures["free_percent"] = percent;
        var measured = string.Create(CultureInfo.InvariantCulture, $"{free / Gib:0.##} GiB free of {total / Gib:0.##} GiB ({percent:0.##} %) on the workspace's file system");
        const string Hint = "Free space on that file system (or move the workspace); the thresholds are Health:DiskFree* in the configuration.";

        if (free < thresholds.DiskFreeCriticalBytes || percent < thresholds.DiskFreeCriticalPercent)
        {
            return DoctorCheck.Critical(Name, string.Create(CultureInfo.InvariantCulture, $"{measured}: below the critical threshold ({thresholds.DiskFreeCriticalBytes / Gib:0.###} GiB or {thresholds.DiskFreeCriticalPercent:0.##} %); writes will soon fail."), Hint, figures);
        }

        if (free < thresholds.DiskFreeDegradedBytes || percent < thresholds.DiskFreeDegradedPercent)
        {
            return DoctorCheck.Warning(Name, string.Create(CultureInfo.InvariantCulture, $"{measured}: below the warning threshold ({thresholds.DiskFreeDegradedBytes / Gib:0.###} GiB or {thresholds.DiskFreeDegradedPercent:0.##} %)."), Hint, figures);
        }

        return DoctorCheck.Ok(Name, measured + ".", figures);
    }
}
