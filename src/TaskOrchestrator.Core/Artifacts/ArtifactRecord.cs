namespace TaskOrchestrator.Core.Artifacts;

/// <summary>What a task produced, stored durably with a hash of its content.</summary>
public sealed record ArtifactRecord
{
    /// <summary>The artifact id, <c>art_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workspace it belongs to.</summary>
    public required string WorkspaceId { get; init; }

    /// <summary>The task that produced it.</summary>
    public required string TaskId { get; init; }

    /// <summary>What it holds.</summary>
    public ArtifactType Type { get; init; } = ArtifactType.General;

    /// <summary>A short account of the work.</summary>
    public required string Summary { get; init; }

    /// <summary>The detailed work; null only when the caller read artifacts without content.</summary>
    public string? Content { get; init; }

    /// <summary><c>sha256:…</c> of <see cref="Content"/>.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The content length in characters.</summary>
    public long ContentLength { get; init; }

    /// <summary>Workspace-relative paths of files the work touched, validated to lie inside the workspace.</summary>
    public IReadOnlyList<string> FilePaths { get; init; } = [];

    /// <summary>The agent or session that stored it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>When it was stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
