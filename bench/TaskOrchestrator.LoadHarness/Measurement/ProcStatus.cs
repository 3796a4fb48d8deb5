using System.Globalization;

namespace TaskOrchestrator.LoadHarness.Measurement;

/// <summary>Memory figures of a live process from <c>/proc/&lt;pid&gt;/status</c> (Linux), in MiB.</summary>
internal sealed record ProcStatus(double PeakResidentMib, double ResidentMib)
{
    public static ProcStatus? Read(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        double peak = double.NaN, resident = double.NaN;
        foreach (var line in File.ReadLines(path))
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

        return new ProcStatus(Math.Round(peak / 1024, 1), Math.Round(resident / 1024, 1));
    }

    // "VmHWM:    123456 kB"
    private static double Kib(string line) =>
        double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
