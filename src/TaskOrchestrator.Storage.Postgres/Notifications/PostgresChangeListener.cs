using Npgsql;
using TaskOrchestrator.Core.Storage;

namespace TaskOrchestrator.Storage.Postgres.Notifications;

/// <summary>
/// One dedicated connection per process that LISTENs on the backend's channel and raises the change
/// signal for the workspace each notification names. Started in the background: a database that cannot
/// be reached only delays the wake-ups, never the process. A lost connection is opened again with a
/// growing wait (<see cref="FirstRetry"/> doubling up to <see cref="MaxRetry"/>), and every workspace is
/// woken on each (re)connect, since notifications sent while no connection listened are gone.
/// Notifications are hints: whoever waits on the signal keeps polling the store as the truth.
/// </summary>
public sealed class PostgresChangeListener : IAsyncDisposable
{
    /// <summary>The first wait before connecting again after a failure.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between attempts.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly string _connectionString;
    private readonly StoreChangeSignal _changes;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _notifications;
    private long _connects;
    private string? _lastError;

    internal PostgresChangeListener(string connectionString, StoreChangeSignal changes, TimeProvider time)
    {
        // Its own physical connection: a pooled one would be handed back, and its LISTEN with it.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 15,
            ApplicationName = "task-orchestrator listener",
        }.ToString();
        _changes = changes;
        _time = time;
    }

    /// <summary>True while the listen connection is open and subscribed.</summary>
    public bool Listening { get; private set; }

    /// <summary>Notifications received since the start.</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>How many times the connection was (re)established.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Why the last attempt or connection failed, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Starts listening in the background; returns at once. Calling it again does nothing.</summary>
    public void Start()
    {
        lock (_stop)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }
    }

    /// <summary>Stops listening and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task? loop;
        lock (_stop)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(cancellationToken);
                await using (var listen = new NpgsqlCommand(ChangeNotifications.Listen, connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                Listening = true;
                Interlocked.Increment(ref _connects);
                retry = FirstRetry;
                _changes.Raise(null);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                Volatile.Write(ref _lastError, ex.Message);
            }
            finally
            {
                Listening = false;
            }

            try
            {
                await Task.Delay(retry, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        Interlocked.Increment(ref _notifications);
        _changes.Raise(string.IsNullOrEmpty(e.Payload) ? null : e.Payload);
    }
}
