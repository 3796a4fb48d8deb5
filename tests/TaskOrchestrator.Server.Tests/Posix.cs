using System.Diagnostics;
using System.Globalization;

namespace TaskOrchestrator.Server.Tests;

/// <summary>Signals for process tests, sent with the system's kill command.</summary>
internal static class Posix
{
    public const int SigTerm = 15;
    public const int SigInt = 2;

    public static int Kill(int pid, int signal)
    {
        using var process = Process.Start("kill", ["-" + signal.ToString(CultureInfo.InvariantCulture), pid.ToString(CultureInfo.InvariantCulture)])!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
