namespace TaskOrchestrator.Mcp;

/// <summary>Settings the tools read, bound from the command line and configuration.</summary>
public sealed class OrchestratorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Orchestrator";

    /// <summary>The workspace given with <c>--workspace</c>, if any.</summary>
    public string? Workspace { get; set; }

    /// <summary>How long an in-progress task may go without a change before scan_cleanup treats it as stale.</summary>
    public TimeSpan DefaultStaleAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Which tools the server lists: core, standard or all (see <see cref="Tools.ToolProfiles"/>).</summary>
    public string Tools { get; set; } = Mcp.Tools.ToolProfiles.All;

    /// <summary>How long to wait for a client to answer a roots/list request.</summary>
    public TimeSpan RootsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the server process started, for uptime.</summary>
    public DateTimeOffset StartedAt { get; set; } = ProcessStart;

    /// <summary>The start time of this process.</summary>
    public static DateTimeOffset ProcessStart { get; } = ReadProcessStart();

    private static DateTimeOffset ReadProcessStart()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
