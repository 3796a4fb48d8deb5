using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.LoadHarness.Phases;

/// <summary>
/// The baseline: one small INSERT per transaction, committed with the store's pragmas (WAL,
/// synchronous=FULL, so every COMMIT fsyncs the log), on a real file in the harness's temp folder,
/// the same disk the server's workspaces are on.
/// </summary>
internal sealed class RawCommitProbe : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _commit;
    private long _n;

    static RawCommitProbe()
    {
        SQLitePCL.Batteries_V2.Init();
    }

    public RawCommitProbe(string folder)
    {
        Directory.CreateDirectory(folder);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(folder, "raw-commit.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE IF NOT EXISTS item (id INTEGER PRIMARY KEY, title TEXT NOT NULL, at INTEGER NOT NULL);";
            setup.ExecuteNonQuery();
        }

        _begin = Command("BEGIN IMMEDIATE");
        _commit = Command("COMMIT");
        _insert = Command("INSERT INTO item (title, at) VALUES ($title, $at)");
        _insert.Parameters.AddWithValue("$title", "a small row, about the size of a task title");
        _insert.Parameters.AddWithValue("$at", 0L);
        _insert.Prepare();
    }

    /// <summary>One commit; returns its duration in milliseconds.</summary>
    public double CommitOnce()
    {
        long started = Stopwatch.GetTimestamp();
        _begin.ExecuteNonQuery();
        _insert.Parameters[1].Value = ++_n;
        _insert.ExecuteNonQuery();
        _commit.ExecuteNonQuery();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public void Dispose()
    {
        _begin.Dispose();
        _insert.Dispose();
        _commit.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
