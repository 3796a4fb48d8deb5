using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks.Completion;

/// <summary>What the completing agent says should happen to the task next.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NextAction>))]
public enum NextAction
{
    /// <summary>The task is done; carry on with the next ready task.</summary>
    [JsonStringEnumMemberName("continue")] Continue,

    /// <summary>The work needs another pass: the task goes back to pending with the summary as the note.</summary>
    [JsonStringEnumMemberName("needs_revision")] NeedsRevision,

    /// <summary>The work cannot go on: the task is blocked with the summary as the reason.</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,

    /// <summary>The task is done and so is the agent's part of the plan.</summary>
    [JsonStringEnumMemberName("complete")] Complete,
}
