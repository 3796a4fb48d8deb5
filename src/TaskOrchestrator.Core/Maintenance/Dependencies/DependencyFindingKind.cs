using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Maintenance.Dependencies;

/// <summary>What kind of problem <see cref="DependencyValidator"/> found.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DependencyFindingKind>))]
public enum DependencyFindingKind
{
    /// <summary>Tasks that wait for each other in a circle: none of them can ever become ready.</summary>
    [JsonStringEnumMemberName("dependency_cycle")] DependencyCycle,

    /// <summary>A dependency edge or a parent id naming a task that does not exist.</summary>
    [JsonStringEnumMemberName("dangling_reference")] DanglingReference,

    /// <summary>A waiting task whose hard dependency failed, was cancelled or archived unfinished: it can never become ready.</summary>
    [JsonStringEnumMemberName("blocked_by_ended_work")] BlockedByEndedWork,

    /// <summary>An open subtask whose parent was cancelled, archived or removed: its work can never roll up.</summary>
    [JsonStringEnumMemberName("orphaned_subtree")] OrphanedSubtree,

    /// <summary>An unfinished task that many open tasks wait on, directly or transitively.</summary>
    [JsonStringEnumMemberName("single_point_of_failure")] SinglePointOfFailure,
}
