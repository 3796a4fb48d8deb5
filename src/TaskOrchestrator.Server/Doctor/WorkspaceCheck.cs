using System.Globalization;
using System.Text.Json.Nodes;
using TaskOrchestrator.Mcp.Workspaces;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>
/// The workspace serve would start in: it exists, is a folder, can be read, and its data folder can be
/// created and written, proved by creating and deleting a file there as the server will.
/// </summary>
internal static class WorkspaceCheck
{
    public const string Name = "workspace";

    private const string WritableHint =
        "Make the folder writable for this user: check its owner and mode, a read-only mount (mount | grep <path>) and the immutable attribute (lsattr -d <path>), or pass --workspace with another folder.";

    /// <summary>Runs the check; the workspace root is null when there is no usable folder.</summary>
    public static (DoctorCheck Check, string? Root) Run(string? option)
    {
        var figures = new JsonObject();
        string root;
        try
        {
            root = StartupWorkspace.Resolve(option);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            var named = option ?? Environment.GetEnvironmentVariable(WorkspaceResolver.EnvironmentVariable) ?? Directory.GetCurrentDirectory();
            figures["path"] = named;
            var finding = File.Exists(named) ? $"The workspace '{named}' is a file, not a folder." : ex.Message;
            return (DoctorCheck.Critical(Name, finding, $"Pass --workspace with an existing project folder, or set {WorkspaceResolver.EnvironmentVariable} to one.", figures), null);
        }

        var source = Source(option, root);
        figures["path"] = root;
        figures["source"] = source;
        var dataFolder = Path.Combine(root, SqliteStoreOptions.DataFolder);
        figures["data_folder"] = dataFolder;

        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(root).GetEnumerator();
            _ = entries.MoveNext();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (DoctorCheck.Critical(Name, $"The workspace '{root}' cannot be read: {ex.Message}", WritableHint, figures), root);
        }

        if (File.Exists(dataFolder))
        {
            return (DoctorCheck.Critical(
                Name,
                $"'{dataFolder}' is a file, not a folder: the database and logs cannot be created there.",
                "Move or delete that file: TaskOrchestrator keeps the workspace's database and logs in that folder.",
                figures), root);
        }

        bool created = !Directory.Exists(dataFolder);
        figures["data_folder_created"] = created;
        try
        {
            Directory.CreateDirectory(dataFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (DoctorCheck.Critical(Name, $"The workspace '{root}' is not writable: cannot create '{dataFolder}': {ex.Message}", WritableHint, figures), root);
        }

        var probe = Path.Combine(dataFolder, string.Create(CultureInfo.InvariantCulture, $".doctor-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp"));
        try
        {
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(1);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (DoctorCheck.Critical(Name, $"The workspace's data folder '{dataFolder}' is not writable: {ex.Message}", WritableHint, figures), root);
        }

        var folderNote = created ? $"created '{SqliteStoreOptions.DataFolder}' and wrote a file in it" : $"'{SqliteStoreOptions.DataFolder}' accepts new files";
        return (DoctorCheck.Ok(Name, $"'{root}' ({source}) is a readable folder; {folderNote}.", figures), root);
    }

    private static string Source(string? option, string root)
    {
        if (option is not null)
        {
            return "--workspace";
        }

        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(WorkspaceResolver.EnvironmentVariable)))
        {
            return WorkspaceResolver.EnvironmentVariable;
        }

        return root == PathResolver.Canonicalize(Directory.GetCurrentDirectory(), "/") ? "current directory" : "git root of the current directory";
    }
}
