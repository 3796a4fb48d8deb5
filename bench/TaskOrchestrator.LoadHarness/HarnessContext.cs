using TaskOrchestrator.LoadHarness.Rpc;

namespace TaskOrchestrator.LoadHarness;

/// <summary>What every phase shares: the options, the server to start, and one temp folder for the whole run.</summary>
internal sealed class HarnessContext : IDisposable
{
    public HarnessContext(HarnessOptions options, string serverDirectory)
    {
        Options = options;
        ServerDirectory = serverDirectory;
        Root = Path.Combine(options.TempParent, $"to-harness-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
        Launcher = options.Launcher == "apphost" ? ServerLauncher.AppHost(serverDirectory) : ServerLauncher.Dotnet(serverDirectory);
    }

    public HarnessOptions Options { get; }

    public string ServerDirectory { get; }

    /// <summary>The run's temp folder: workspaces and the raw-commit database live here, on one disk.</summary>
    public string Root { get; }

    /// <summary>How the plan and query phases start the server.</summary>
    public ServerLauncher Launcher { get; }

    public string NewFolder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes the samples of one figure, in measurement order, when --samples was given.</summary>
    public void SaveSamples(string name, IReadOnlyList<double> samples)
    {
        if (Options.SamplesDirectory is not { } directory)
        {
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllLines(
            Path.Combine(directory, name + ".csv"),
            samples.Select(s => s.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public void Dispose()
    {
        if (Options.Keep)
        {
            Progress($"kept {Root}");
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException ex)
        {
            Progress($"Could not delete {Root}: {ex.Message}");
        }
    }
}
