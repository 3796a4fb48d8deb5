using Microsoft.Data.Sqlite;

namespace TaskOrchestrator.Storage.Sqlite.Connections;

/// <summary>
/// An open connection with its prepared commands. Commands are cached by SQL text so that each
/// statement is compiled once per connection: on the hot path a call costs binding and stepping only.
/// </summary>
internal sealed class PooledConnection : IDisposable
{
    private const int MaxCachedCommands = 256;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public PooledConnection(SqliteConnection connection)
    {
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>False once an error left the connection in an unknown state; it is then closed, not reused.</summary>
    public bool Healthy { get; set; } = true;

    /// <summary>The cached command for <paramref name="sql"/>, with its parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }

        if (_commands.Count >= MaxCachedCommands)
        {
            // Dynamic query shapes are bounded in practice; this only guards against a pathological client.
            foreach (var cached in _commands.Values)
            {
                cached.Dispose();
            }

            _commands.Clear();
        }

        command = Connection.CreateCommand();
        command.CommandText = sql;
        _commands[sql] = command;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        Connection.Dispose();
    }
}
