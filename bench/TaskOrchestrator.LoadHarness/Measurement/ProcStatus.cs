using System.Globalization;

namespace TaskOrchestrator.LoadHarness.Measurement;

/// <summary>
/// Memory figures of one live process (Linux), in MiB: its peak and current resident set from
/// <c>/proc/&lt;pid&gt;/status</c>, and its proportional set (resident pages shared with other
/// processes, such as the build's code a supervisor and its worker both map, counted in shares) from
/// <c>/proc/&lt;pid&gt;/smaps_rollup</c>.
/// </summary>
internal sealed record ProcStatus(int Pid, string Role, double PeakResidentMib, double ResidentMib, double ProportionalMib)
{
    public static ProcStatus? Read(int pid)
    {
        try
        {
            double peak = double.NaN, resident = double.NaN;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kib(line);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    resident = Kib(line);
                }
            }

            return new ProcStatus(pid, RoleOf(pid), Mib(peak), Mib(resident), Mib(ProportionalKib(pid)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // the process is gone
        }
    }

    /// <summary>The proportional set size in KiB, or NaN when the process is gone.</summary>
    public static double ProportionalKib(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return Kib(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return double.NaN;
    }

    /// <summary>The process and its descendants, parents first.</summary>
    public static IReadOnlyList<int> Tree(int pid)
    {
        var all = new List<int> { pid };
        for (int i = 0; i < all.Count; i++)
        {
            try
            {
                foreach (var thread in Directory.EnumerateDirectories($"/proc/{all[i]}/task"))
                {
                    var children = File.ReadAllText(Path.Combine(thread, "children"));
                    all.AddRange(children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture)));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return all.Distinct().ToList();
    }

    // "worker" for a supervisor's worker (started with the hidden serve-worker command); "server" for the process the harness started (a supervisor
    // when it has a worker, the whole server with --no-supervisor).
    private static string RoleOf(int pid)
    {
        var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        return arguments.Contains("serve-worker") ? "worker" : "server";
    }

    private static double Mib(double kib) => Math.Round(kib / 1024, 1);

    // "VmHWM:    123456 kB"
    private static double Kib(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
