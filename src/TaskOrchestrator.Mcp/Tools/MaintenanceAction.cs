using System.Text.Json.Serialization;

namespace TaskOrchestrator.Mcp.Tools;

/// <summary>What orchestrator_maintenance_coordinator does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MaintenanceAction>))]
public enum MaintenanceAction
{
    /// <summary>Find stale in-progress tasks and orphans; reset or archive them.</summary>
    [JsonStringEnumMemberName("scan_cleanup")] ScanCleanup,

    /// <summary>Check database integrity, references, cycles and parent/child consistency.</summary>
    [JsonStringEnumMemberName("validate_structure")] ValidateStructure,

    /// <summary>Write a task status document into the workspace.</summary>
    [JsonStringEnumMemberName("update_documentation")] UpdateDocumentation,

    /// <summary>Write a handover document into the workspace.</summary>
    [JsonStringEnumMemberName("prepare_handover")] PrepareHandover,
}
