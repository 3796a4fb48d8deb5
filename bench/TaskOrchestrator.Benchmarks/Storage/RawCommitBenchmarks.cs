using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using TaskOrchestrator.Benchmarks.Infrastructure;

namespace TaskOrchestrator.Benchmarks.Storage;

/// <summary>
/// The floor every write tool stands on: one small INSERT committed with the store's durability
/// pragmas (WAL, synchronous=FULL, so the commit fsyncs the log) on a real file in the temp folder.
/// </summary>
[BenchmarkCategory("storage")]
public class RawCommitBenchmarks
{
    private TempFolder _folder = null!;
    private SqliteConnection _connection = null!;
    private SqliteCommand _begin = null!;
    private SqliteCommand _insert = null!;
    private SqliteCommand _commit = null!;
    private long _n;

    [GlobalSetup]
    public void Setup()
    {
        SQLitePCL.Batteries_V2.Init();
        _folder = new TempFolder("to-bench-raw");
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_folder.Path, "raw.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE item (id INTEGER PRIMARY KEY, title TEXT NOT NULL, at INTEGER NOT NULL);";
            setup.ExecuteNonQuery();
        }

        _begin = Command("BEGIN IMMEDIATE");
        _commit = Command("COMMIT");
        _insert = Command("INSERT INTO item (title, at) VALUES ($title, $at)");
        _insert.Parameters.AddWithValue("$title", "a small row, about the size of a task title");
        _insert.Parameters.AddWithValue("$at", 0L);
        _insert.Prepare();
    }

    [Benchmark(Description = "raw INSERT + fsync'd COMMIT")]
    public void InsertCommit()
    {
        _begin.ExecuteNonQuery();
        _insert.Parameters[1].Value = ++_n;
        _insert.ExecuteNonQuery();
        _commit.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _begin.Dispose();
        _insert.Dispose();
        _commit.Dispose();
        _connection.Dispose();
        _folder.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
