using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace TaskOrchestrator.LoadHarness.Rpc;

/// <summary>
/// The server as <c>serve --http</c> in a child process on a port of its choosing (read from the banner it
/// prints), with authentication on (a fresh token, configured as its SHA-256 hash as a user would) and the
/// per-client rate limit raised so that the load is not refused. Spoken to with plain HttpClient.
/// </summary>
internal sealed class HttpServer : IAsyncDisposable
{
    private const string EndpointLine = "MCP endpoint: ";
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private readonly TaskCompletionSource<Uri> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HttpServer(Process process, string token)
    {
        _process = process;
        Token = token;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _endpoint.TrySetException(new InvalidOperationException($"serve --http exited before serving. Server log:\n{StderrTail}"));
                return;
            }

            lock (_stderrTail)
            {
                _stderrTail.Enqueue(e.Data);
                if (_stderrTail.Count > 40)
                {
                    _stderrTail.Dequeue();
                }
            }

            if (e.Data.StartsWith(EndpointLine, StringComparison.Ordinal))
            {
                _endpoint.TrySetResult(new Uri(e.Data[EndpointLine.Length..].Trim()));
            }
        };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        Client = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };
    }

    /// <summary>The bearer token every request carries.</summary>
    public string Token { get; }

    /// <summary>The MCP endpoint, such as http://127.0.0.1:41234/mcp.</summary>
    public Uri McpEndpoint { get; private set; } = null!;

    /// <summary>The server's root (the dashboard, /api).</summary>
    public Uri Root => new(McpEndpoint, "/");

    /// <summary>One connection pool for every client of the run: keep-alive connections, as a browser or agent keeps them.</summary>
    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return string.Join('\n', _stderrTail);
            }
        }
    }

    /// <summary>Starts <c>serve --http</c> on <paramref name="workspace"/> and waits for its banner.</summary>
    public static async Task<HttpServer> StartAsync(ServerLauncher launcher, string workspace, int rateLimitRequests, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(launcher.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace,
        };
        foreach (var argument in launcher.Prefix)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var argument in new[] { "serve", "--http", "--urls", "http://127.0.0.1:0", "--workspace", workspace, "--log-level", "warning" })
        {
            info.ArgumentList.Add(argument);
        }

        var token = "to_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        info.Environment["TASK_ORCHESTRATOR__Http__TokenHashes__0"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        info.Environment["TASK_ORCHESTRATOR__Http__RateLimitRequests"] = rateLimitRequests.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment.Remove("TASK_ORCHESTRATOR_WORKSPACE");
        var server = new HttpServer(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {launcher.FileName}."), token);
        try
        {
            server.McpEndpoint = await server._endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A request with the token, to <paramref name="path"/> under the root.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(Root, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return request;
    }

    /// <summary>SIGTERM (a graceful stop), then a kill after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync(CancellationToken.None);
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
