namespace TaskOrchestrator.Mcp.Tools;

/// <summary>
/// Tool profiles: which tools a server lists, so that a client with a small context budget sees only
/// the ones it needs. Each profile names its tools explicitly (a new tool joins only the profile it is
/// added to here, and <c>all</c> by default); each profile contains the smaller ones.
/// </summary>
public static class ToolProfiles
{
    /// <summary>The minimum loop: a session, a plan, finding, claiming, doing and reporting work, and checking on it.</summary>
    public const string Core = "core";

    /// <summary>Core plus changing and removing tasks, synthesis, sessions, maintenance, dependency validation and agents.</summary>
    public const string Standard = "standard";

    /// <summary>Every tool, the server-operations tools included (the default).</summary>
    public const string All = "all";

    /// <summary>The profile names, smallest first.</summary>
    public static IReadOnlyList<string> Names { get; } = [Core, Standard, All];

    private static readonly HashSet<string> CoreTools = new(StringComparer.Ordinal)
    {
        "orchestrator_initialize_session",
        "orchestrator_plan_task",
        "orchestrator_query_tasks",
        "orchestrator_execute_task",
        "orchestrator_complete_task",
        "orchestrator_claim_next_task",
        "orchestrator_heartbeat",
        "orchestrator_release_task",
        "orchestrator_get_status",
        "orchestrator_health_check",
    };

    private static readonly HashSet<string> StandardTools = new(CoreTools, StringComparer.Ordinal)
    {
        "orchestrator_update_task",
        "orchestrator_cancel_task",
        "orchestrator_delete_task",
        "orchestrator_synthesize_results",
        "orchestrator_list_sessions",
        "orchestrator_resume_session",
        "orchestrator_cleanup_sessions",
        "orchestrator_session_status",
        "orchestrator_maintenance_coordinator",
        "orchestrator_validate_dependencies",
        "orchestrator_register_agent",
        "orchestrator_agent_status",
    };

    /// <summary>True when <paramref name="profile"/> is a profile name.</summary>
    public static bool IsKnown(string? profile) => profile is not null && Names.Contains(profile, StringComparer.Ordinal);

    /// <summary>True when <paramref name="profile"/> lists <paramref name="tool"/>.</summary>
    public static bool Includes(string profile, string tool) => profile switch
    {
        Core => CoreTools.Contains(tool),
        Standard => StandardTools.Contains(tool),
        All => true,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, $"Unknown tool profile; allowed: {string.Join(", ", Names)}."),
    };

    /// <summary>The smallest profile that lists <paramref name="tool"/>.</summary>
    public static string SmallestWith(string tool) => Names.First(profile => Includes(profile, tool));
}
