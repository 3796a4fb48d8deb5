using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;

namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>Validates file paths an agent reports: each must exist and, with symlinks resolved, lie inside the workspace.</summary>
public static class WorkspaceFiles
{
    /// <summary>
    /// The paths as workspace-relative, '/'-separated, canonical paths, in the order given without
    /// duplicates. Throws <c>path_outside_workspace</c> or <c>file_not_found</c> naming the path.
    /// </summary>
    public static IReadOnlyList<string> Validate(string workspaceRoot, IReadOnlyList<string>? paths, string field)
    {
        if (paths is null || paths.Count == 0)
        {
            return [];
        }

        if (paths.Count > Limits.FilePathsPerArtifact)
        {
            throw Fail.TooLarge(field, $"'{field}' lists {paths.Count} paths.", $"{Limits.FilePathsPerArtifact} paths");
        }

        var relative = new List<string>(paths.Count);
        for (int i = 0; i < paths.Count; i++)
        {
            var item = $"{field}[{i}]";
            var path = paths[i];
            if (string.IsNullOrWhiteSpace(path))
            {
                throw Fail.Missing(item, "Give a path relative to the workspace, or an absolute path inside it.");
            }

            if (path.Length > Limits.FilePathLength || path.Contains('\0', StringComparison.Ordinal))
            {
                throw Fail.Invalid(item, $"'{item}' is not a usable path.", $"Give a path of at most {Limits.FilePathLength} characters inside the workspace.");
            }

            string canonical;
            try
            {
                canonical = PathResolver.Canonicalize(path, workspaceRoot);
            }
            catch (IOException ex)
            {
                throw Fail.Invalid(item, $"The path '{path}' cannot be resolved: {ex.Message}", "Give a path inside the workspace without symbolic link loops.");
            }

            if (!PathResolver.IsInside(canonical, workspaceRoot))
            {
                throw Fail.With(
                    ErrorCodes.PathOutsideWorkspace,
                    $"'{path}' resolves to '{canonical}', outside the workspace '{workspaceRoot}'.",
                    item,
                    null,
                    "Report only files inside the workspace; symbolic links are followed before checking.");
            }

            if (!File.Exists(canonical) && !Directory.Exists(canonical))
            {
                throw Fail.With(
                    ErrorCodes.FileNotFound,
                    $"'{path}' does not exist in the workspace (looked for '{canonical}').",
                    item,
                    null,
                    "Report files after writing them; check the path is relative to the workspace root.");
            }

            var inside = Path.GetRelativePath(workspaceRoot, canonical).Replace(Path.DirectorySeparatorChar, '/');
            if (!relative.Contains(inside, StringComparer.Ordinal))
            {
                relative.Add(inside);
            }
        }

        return relative;
    }
}
