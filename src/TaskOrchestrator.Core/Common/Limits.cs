namespace TaskOrchestrator.Core.Common;

/// <summary>
/// Size limits on what a client may store. They exist so that one runaway call cannot bloat the
/// store or the context another agent later receives; each is named in the error that enforces it.
/// </summary>
public static class Limits
{
    /// <summary>Longest task title, in characters.</summary>
    public const int TitleLength = 200;

    /// <summary>Longest task description, in characters.</summary>
    public const int DescriptionLength = 20_000;

    /// <summary>Largest task context, in characters of JSON.</summary>
    public const int ContextJsonLength = 65_536;

    /// <summary>Longest free-text effort estimate.</summary>
    public const int EffortLength = 64;

    /// <summary>Most dependencies one task may declare.</summary>
    public const int DependenciesPerTask = 100;

    /// <summary>Most tasks one plan call may create, root included.</summary>
    public const int TasksPerPlan = 500;

    /// <summary>Deepest subtask nesting within one plan call.</summary>
    public const int PlanDepth = 12;

    /// <summary>Longest local key of a subtask spec.</summary>
    public const int LocalKeyLength = 64;

    /// <summary>Longest summary of a completion, a cancellation or a status reason.</summary>
    public const int SummaryLength = 4_000;

    /// <summary>Largest artifact content (detailed work), in characters.</summary>
    public const int ArtifactContentLength = 1_048_576;

    /// <summary>Most file paths one artifact may reference.</summary>
    public const int FilePathsPerArtifact = 200;

    /// <summary>Longest file path, in characters.</summary>
    public const int FilePathLength = 1_024;

    /// <summary>Longest id, name, key or agent id argument.</summary>
    public const int IdentifierLength = 128;

    /// <summary>Longest full-text search string.</summary>
    public const int SearchTextLength = 500;

    /// <summary>Largest page of a task query.</summary>
    public const int QueryPageSize = 500;

    /// <summary>Longest session name.</summary>
    public const int SessionNameLength = 200;

    /// <summary>Most characters of one dependency artifact handed to an executing agent.</summary>
    public const int ContextArtifactLength = 32_768;

    /// <summary>Most characters of dependency artifacts handed to an executing agent in all.</summary>
    public const int ContextArtifactTotal = 262_144;
}
