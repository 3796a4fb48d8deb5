using Microsoft.Data.Sqlite;
using TaskOrchestrator.Storage.Sqlite;

namespace TaskOrchestrator.Benchmarks.Infrastructure;

/// <summary>
/// Workspaces pre-seeded with N corpus tasks. Seeding 100,000 tasks takes tens of seconds and
/// BenchmarkDotNet starts a process per case, so each size is seeded once per store build (the
/// cache key includes the store assembly's build id) and every case gets its own copy of the file.
/// </summary>
internal static class SeededWorkspace
{
    // Bump when TaskCorpus or the seeding shape changes.
    private const int CorpusVersion = 1;

    /// <summary>A store over a fresh copy of a workspace holding <paramref name="tasks"/> seeded tasks.</summary>
    public static async Task<BenchStore> OpenCopyAsync(string prefix, int tasks)
    {
        var cached = await EnsureSeededAsync(tasks);
        var folder = new TempFolder(prefix);
        var database = SqliteStoreProvider.DatabasePath(folder.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        File.Copy(cached, database);
        return await BenchStore.OpenAsync(folder);
    }

    private static async Task<string> EnsureSeededAsync(int tasks)
    {
        var build = typeof(SqliteStoreProvider).Assembly.ManifestModule.ModuleVersionId;
        var cacheFolder = Path.Combine(Path.GetTempPath(), "to-bench-seeded");
        var cached = Path.Combine(cacheFolder, $"tasks-{tasks}-corpus{CorpusVersion}-{build:N}.db");
        if (File.Exists(cached))
        {
            return cached;
        }

        Directory.CreateDirectory(cacheFolder);
        string seededFile;
        await using (var store = await BenchStore.OpenAsync("to-bench-seeding"))
        {
            await store.SeedAsync(tasks);
            seededFile = SqliteStoreProvider.DatabasePath(store.Folder.Path);
            var staging = cached + $".{Environment.ProcessId}.tmp";

            // Fold the WAL into the main file so that the copy is the whole database.
            using (var connection = new SqliteConnection($"Data Source={seededFile};Pooling=False"))
            {
                connection.Open();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }

            File.Copy(seededFile, staging, overwrite: true);
            try
            {
                File.Move(staging, cached, overwrite: false);
            }
            catch (IOException) when (File.Exists(cached))
            {
                File.Delete(staging); // another process won the race with an identical file
            }
        }

        return cached;
    }
}
