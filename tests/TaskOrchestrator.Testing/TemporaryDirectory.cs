namespace TaskOrchestrator.Testing;

/// <summary>A real folder under the system temp directory, deleted on dispose.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory(string prefix = "to-test")
    {
        // Canonical path: tests compare it with the workspace root the server resolves.
        var created = Directory.CreateTempSubdirectory(prefix + "-");
        Path = created.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? created.FullName;
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file for a moment; the OS temp cleaner takes the rest.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
