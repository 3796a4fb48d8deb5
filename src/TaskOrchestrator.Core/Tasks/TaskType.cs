using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>What kind of work a task is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskType>))]
public enum TaskType
{
    /// <summary>Ordinary work.</summary>
    [JsonStringEnumMemberName("standard")] Standard,

    /// <summary>Work whose output is a plan of subtasks.</summary>
    [JsonStringEnumMemberName("breakdown")] Breakdown,

    /// <summary>A checkpoint that completes when the work it gathers is done.</summary>
    [JsonStringEnumMemberName("milestone")] Milestone,

    /// <summary>Reviewing someone else's output.</summary>
    [JsonStringEnumMemberName("review")] Review,

    /// <summary>A decision a person or a lead agent must take.</summary>
    [JsonStringEnumMemberName("approval")] Approval,

    /// <summary>Finding things out.</summary>
    [JsonStringEnumMemberName("research")] Research,

    /// <summary>Building or changing code.</summary>
    [JsonStringEnumMemberName("implementation")] Implementation,

    /// <summary>Writing or running tests.</summary>
    [JsonStringEnumMemberName("testing")] Testing,

    /// <summary>Writing documentation.</summary>
    [JsonStringEnumMemberName("documentation")] Documentation,

    /// <summary>Releasing or deploying.</summary>
    [JsonStringEnumMemberName("deployment")] Deployment,

    /// <summary>Anything else; describe it in the task's context.</summary>
    [JsonStringEnumMemberName("custom")] Custom,
}
