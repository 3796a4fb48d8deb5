namespace TaskOrchestrator.Mcp.Workspaces;

/// <summary>Canonical paths: absolute, normalized, with every symbolic link in every component resolved.</summary>
public static class PathResolver
{
    private const int MaxLinkHops = 40;

    /// <summary>
    /// The canonical form of <paramref name="path"/> (relative paths are taken from <paramref name="baseDirectory"/>).
    /// Components that do not exist yet are kept as written, after the existing prefix is resolved.
    /// </summary>
    public static string Canonicalize(string path, string baseDirectory)
    {
        var full = Path.GetFullPath(path, baseDirectory);
        var root = Path.GetPathRoot(full)!;
        var pending = new Queue<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        int hops = 0;
        while (pending.Count > 0)
        {
            var next = Path.Combine(current, pending.Dequeue());
            var info = new FileInfo(next);
            string? target = info.Exists || Directory.Exists(next) ? info.LinkTarget : null;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"Too many levels of symbolic links resolving '{path}'.");
            }

            // Re-walk the link target, then whatever followed the link in the original path.
            var resolved = Path.GetFullPath(target, current);
            var rest = pending.ToArray();
            pending.Clear();
            current = Path.GetPathRoot(resolved)!;
            foreach (var part in resolved[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest))
            {
                pending.Enqueue(part);
            }
        }

        return current.Length > root.Length ? current.TrimEnd(Path.DirectorySeparatorChar) : current;
    }

    /// <summary>True when <paramref name="candidate"/> is <paramref name="root"/> or lies below it (both canonical).</summary>
    public static bool IsInside(string candidate, string root) =>
        candidate == root || candidate.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
