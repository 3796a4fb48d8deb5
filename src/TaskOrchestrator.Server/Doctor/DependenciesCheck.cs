using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Server.Doctor;

/// <summary>
/// Everything the server loads: every assembly reachable from the server's own references loads, and
/// the native SQLite library initializes, answers a query and has the FTS5 module task search needs.
/// </summary>
internal static class DependenciesCheck
{
    public const string Name = "dependencies";

    private const string ReinstallHint = "Reinstall or republish the server (dotnet publish, or scripts/serve.sh), so that every file of the build sits next to task-orchestrator.dll.";

    public static DoctorCheck Run()
    {
        var figures = new JsonObject();
        var (loaded, failures) = LoadReferences(typeof(DependenciesCheck).Assembly);
        figures["assemblies_loaded"] = loaded;
        figures["assembly_failures"] = new JsonArray([.. failures.Select(f => (JsonNode?)f)]);

        string? sqliteVersion = null;
        bool fts5 = false;
        string? sqliteFailure = null;
        try
        {
            SQLitePCL.Batteries_V2.Init();
            using var connection = new SqliteConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            sqliteVersion = (string?)command.ExecuteScalar();
            fts5 = SupportsFts5(connection);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException or SqliteException or FileNotFoundException or FileLoadException)
        {
            sqliteFailure = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
        }

        figures["sqlite_version"] = sqliteVersion;
        figures["sqlite_fts5"] = fts5;

        if (failures.Count > 0)
        {
            return DoctorCheck.Critical(Name, $"{failures.Count} assembl{(failures.Count == 1 ? "y" : "ies")} of the server cannot be loaded: {string.Join("; ", failures.Take(3))}", ReinstallHint, figures);
        }

        if (sqliteFailure is not null)
        {
            return DoctorCheck.Critical(Name, $"The native SQLite library cannot be loaded: {sqliteFailure}", ReinstallHint + " The native library comes from SQLitePCLRaw.lib.e_sqlite3 (runtimes/<rid>/native).", figures);
        }

        if (!fts5)
        {
            return DoctorCheck.Critical(Name, $"SQLite {sqliteVersion} is built without FTS5, which task search needs.", ReinstallHint, figures);
        }

        return DoctorCheck.Ok(Name, $"{loaded} assemblies load; SQLite {sqliteVersion} with FTS5.", figures);
    }

    /// <summary>Loads every assembly reachable from <paramref name="root"/>'s references, breadth first; returns the count and the failures.</summary>
    public static (int Loaded, List<string> Failures) LoadReferences(Assembly root)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { root.GetName().Name! };
        var pending = new Queue<Assembly>([root]);
        var failures = new List<string>();
        int loaded = 1;
        while (pending.TryDequeue(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (!seen.Add(reference.Name!))
                {
                    continue;
                }

                try
                {
                    pending.Enqueue(AssemblyLoadContext.Default.LoadFromAssemblyName(reference));
                    loaded++;
                }
                catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
                {
                    failures.Add($"{reference.Name} {reference.Version} (needed by {assembly.GetName().Name}): {ex.Message}");
                }
            }
        }

        return (loaded, failures);
    }

    private static bool SupportsFts5(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE VIRTUAL TABLE doctor_fts USING fts5 (body); DROP TABLE doctor_fts;";
        try
        {
            command.ExecuteNonQuery();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
