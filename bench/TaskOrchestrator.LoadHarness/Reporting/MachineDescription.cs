namespace TaskOrchestrator.LoadHarness.Reporting;

/// <summary>Describes the machine and the disk under a folder, from /proc and /sys (Linux).</summary>
internal static class MachineDescription
{
    public static string Cpu()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            var model = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (model is not null)
            {
                return model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return Environment.MachineName;
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine skews every figure.</summary>
    public static string LoadAverage()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg) ? string.Join(' ', File.ReadAllText(loadavg).Split(' ').Take(3)) : "unknown";
    }

    /// <summary>The mount holding <paramref name="folder"/>: device, file system, mount options and whether the device is rotational.</summary>
    public static string Disk(string folder)
    {
        const string mounts = "/proc/mounts";
        if (!File.Exists(mounts))
        {
            return "unknown";
        }

        var best = File.ReadLines(mounts)
            .Select(l => l.Split(' '))
            .Where(p => p.Length >= 4 && folder.StartsWith(p[1], StringComparison.Ordinal))
            .MaxBy(p => p[1].Length);
        if (best is null)
        {
            return "unknown";
        }

        var device = best[0];
        var rotational = "unknown";
        var block = Path.GetFileName(device);
        var sys = $"/sys/class/block/{block}/queue/rotational";
        if (File.Exists(sys))
        {
            rotational = File.ReadAllText(sys).Trim() == "1" ? "rotational" : "non-rotational";
        }

        return $"{device} {best[2]} mounted at {best[1]} ({best[3]}), {rotational}";
    }
}
