namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// A build of the server a worker runs from, resolved to real paths so that a later restart can tell
/// a new build (a re-pointed symbolic link, a replaced folder) from the one running, and so that a
/// rollback starts exactly the previous one.
/// </summary>
/// <param name="Executable">The program to start: the build's apphost, or the dotnet host.</param>
/// <param name="PrefixArguments">Arguments before the command (the assembly, for the dotnet host).</param>
/// <param name="Location">The resolved build folder or file, for messages and history.</param>
internal sealed record WorkerBuild(string Executable, IReadOnlyList<string> PrefixArguments, string Location)
{
    /// <summary>The apphost a published build contains.</summary>
    public const string AppHostName = "task-orchestrator";

    /// <summary>The environment variable naming the worker build when --worker-path is not given.</summary>
    public const string PathVariable = "TASK_ORCHESTRATOR_WORKER_PATH";

    /// <summary>The server assembly every build contains.</summary>
    public const string AssemblyName = "task-orchestrator.dll";

    /// <summary>
    /// Resolves <paramref name="configuredPath"/> (a build folder, an apphost, an assembly, or a
    /// symbolic link to any of them) as it is now; null means the build this supervisor runs from.
    /// Throws <see cref="FileNotFoundException"/> naming the path when there is no build there.
    /// </summary>
    public static WorkerBuild Resolve(string? configuredPath)
    {
        if (string.IsNullOrWhiteSpace(configuredPath))
        {
            return Current();
        }

        var real = RealPath(Path.GetFullPath(configuredPath));
        if (Directory.Exists(real))
        {
            var appHost = Path.Combine(real, AppHostName);
            if (File.Exists(appHost))
            {
                return new WorkerBuild(appHost, [], real);
            }

            var assembly = Path.Combine(real, AssemblyName);
            return File.Exists(assembly)
                ? new WorkerBuild(DotnetHost(), [assembly], real)
                : throw new FileNotFoundException($"The worker build folder '{configuredPath}' (resolved to '{real}') contains neither '{AppHostName}' nor '{AssemblyName}'. Point --worker-path at a published build.");
        }

        if (!File.Exists(real))
        {
            throw new FileNotFoundException($"The worker build '{configuredPath}' (resolved to '{real}') does not exist. Point --worker-path at a published build folder.");
        }

        return real.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new WorkerBuild(DotnetHost(), [real], Path.GetDirectoryName(real)!)
            : new WorkerBuild(real, [], Path.GetDirectoryName(real)!);
    }

    // The build this process runs from: its apphost, or the dotnet host and its assembly.
    private static WorkerBuild Current()
    {
        var process = Environment.ProcessPath ?? throw new FileNotFoundException("The path of the running executable is unknown; pass --worker-path.");
        var assembly = Path.Combine(AppContext.BaseDirectory, AssemblyName);
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? new WorkerBuild(process, [assembly], AppContext.BaseDirectory.TrimEnd('/'))
            : new WorkerBuild(process, [], Path.GetDirectoryName(process)!);
    }

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? process : "dotnet";
    }

    // Follows symbolic links in every component, as realpath(3) does.
    private static string RealPath(string path)
    {
        var root = Path.GetPathRoot(path)!;
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = target.FullName;
            }
        }

        return current;
    }
}
