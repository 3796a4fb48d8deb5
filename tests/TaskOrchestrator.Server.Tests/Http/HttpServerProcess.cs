using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>
/// The built <c>task-orchestrator serve --http</c> running as a child process on a free loopback port, as a
/// user starts it: its stderr (logs and the start banner) is kept, and it is stopped with SIGTERM.
/// </summary>
internal sealed class HttpServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _served = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _served.TrySetException(new InvalidOperationException($"serve --http ended its stderr before printing its start banner:\n{Stderr}"));
                return;
            }

            lock (_gate)
            {
                _stderr.AppendLine(e.Data);
            }

            // The banner is printed once the server listens, and its last line is the Claude Code command:
            // waiting for that line means the whole banner is there to be checked.
            if (e.Data.StartsWith("Claude Code: ", StringComparison.Ordinal))
            {
                _served.TrySetResult();
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>The server's root, such as http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>serve --http</c> on <paramref name="workspace"/> and returns once it printed its banner.</summary>
    public static async Task<HttpServerProcess> StartAsync(string workspace, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workspace };
        foreach (var argument in new[] { ServerProcess.ServerDll, "serve", "--http", "--urls", address.ToString().TrimEnd('/'), "--workspace", workspace, "--log-level", "warning" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("TASK_ORCHESTRATOR_WORKSPACE");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new HttpServerProcess(Process.Start(start)!, address);
        try
        {
            await server._served.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends SIGTERM and waits for the process to exit; false when it did not within the timeout.</summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            Posix.Kill(_process.Id, Posix.SigTerm);
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!await StopAsync(TimeSpan.FromSeconds(15)))
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // The port is free when asked; the server binds it a moment later (a clash fails the start loudly).
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
