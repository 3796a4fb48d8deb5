using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Tests;

/// <summary>What the server says besides answers: notifications on stdout, log lines on stderr, and waits for them.</summary>
public sealed partial class ServerProcess
{
    private readonly List<(string Method, JsonObject? Params)> _notifications = [];
    private readonly List<(Func<string, JsonObject?, bool> Match, TaskCompletionSource<JsonObject?> Seen)> _notificationWaiters = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _stderrWaiters = [];

    /// <summary>The notifications the server sent, in order.</summary>
    public IReadOnlyList<(string Method, JsonObject? Params)> Notifications
    {
        get
        {
            lock (_notifications)
            {
                return [.. _notifications];
            }
        }
    }

    /// <summary>Starts the server with <paramref name="arguments"/> and completes the MCP handshake.</summary>
    public static async Task<ServerProcess> StartInitializedAsync(IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, params string[] arguments)
    {
        var server = Start(null, environment, arguments);
        try
        {
            var result = await server.RequestAsync("initialize", new JsonObject
            {
                ["protocolVersion"] = "2025-06-18",
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = new JsonObject { ["name"] = "server-tests", ["version"] = "1.0" },
            }, cancellationToken);
            if (result["error"] is not null)
            {
                throw new InvalidOperationException($"initialize failed: {result.ToJsonString()}\n{server.Stderr}");
            }

            await server.NotifyAsync("notifications/initialized", new JsonObject(), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes when the server has sent a notification <paramref name="method"/> matching <paramref name="match"/>; returns its params.</summary>
    public Task<JsonObject?> WaitForNotificationAsync(string method, Func<JsonObject?, bool>? match, CancellationToken cancellationToken)
    {
        bool Matches(string m, JsonObject? p) => m == method && (match?.Invoke(p) ?? true);
        var seen = new TaskCompletionSource<JsonObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_notifications)
        {
            foreach (var (m, p) in _notifications)
            {
                if (Matches(m, p))
                {
                    return Task.FromResult(p);
                }
            }

            _notificationWaiters.Add((Matches, seen));
        }

        return seen.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Completes when a stderr line containing <paramref name="text"/> has been written.</summary>
    public Task WaitForStderrAsync(string text, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderrWaiters)
        {
            if (Stderr.Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _stderrWaiters.Add((text, seen));
        }

        return seen.Task.WaitAsync(cancellationToken);
    }

    private void OnNotification(string method, JsonObject? parameters)
    {
        lock (_notifications)
        {
            _notifications.Add((method, parameters));
            foreach (var waiter in _notificationWaiters.Where(w => w.Match(method, parameters)).ToArray())
            {
                _notificationWaiters.Remove(waiter);
                waiter.Seen.TrySetResult(parameters);
            }
        }
    }

    private void OnStderr(string line)
    {
        lock (_stderrWaiters)
        {
            foreach (var waiter in _stderrWaiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToArray())
            {
                _stderrWaiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }
    }
}
