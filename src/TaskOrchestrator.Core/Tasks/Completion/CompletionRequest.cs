using TaskOrchestrator.Core.Artifacts;

namespace TaskOrchestrator.Core.Tasks.Completion;

/// <summary>The report of an agent finishing (or giving back) a task.</summary>
public sealed record CompletionRequest
{
    /// <summary>The task.</summary>
    public required string TaskId { get; init; }

    /// <summary>The reporting agent; when set it must be the agent that started the task.</summary>
    public string? AgentId { get; init; }

    /// <summary>The claim's lease token; required when the task is claimed by an agent.</summary>
    public string? LeaseToken { get; init; }

    /// <summary>A short account of what was done (or why it goes back or is blocked).</summary>
    public required string Summary { get; init; }

    /// <summary>The full work product, stored as the artifact's content.</summary>
    public string? DetailedWork { get; init; }

    /// <summary>What happens to the task.</summary>
    public NextAction NextAction { get; init; } = NextAction.Continue;

    /// <summary>Workspace-relative paths already validated to lie inside the workspace.</summary>
    public IReadOnlyList<string> FilePaths { get; init; } = [];

    /// <summary>What the artifact holds.</summary>
    public ArtifactType ArtifactType { get; init; } = ArtifactType.General;
}
