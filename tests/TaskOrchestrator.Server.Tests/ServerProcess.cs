using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TaskOrchestrator.Server.Tests;

/// <summary>
/// The built <c>task-orchestrator</c> executable running as a child process, spoken to with raw
/// newline-delimited JSON-RPC over its stdin and stdout, as a client does. Every stdout line is
/// checked to be a JSON-RPC message: stdout belongs to the protocol.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _stderrGate = new();
    private readonly List<string> _protocolViolations = [];
    private readonly List<string> _unmatchedAnswers = [];
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Task _readLoop;
    private long _nextId;

    private ServerProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderrGate)
                {
                    _stderr.AppendLine(e.Data);
                }

                OnStderr(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>The path of the server assembly under test: the copy built next to the tests.</summary>
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "task-orchestrator.dll");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stderr
    {
        get
        {
            lock (_stderrGate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Answers that matched no request waiting for one (a second answer, or an unknown id).</summary>
    public IReadOnlyList<string> UnmatchedAnswers
    {
        get
        {
            lock (_unmatchedAnswers)
            {
                return [.. _unmatchedAnswers];
            }
        }
    }

    /// <summary>Stdout lines that were not JSON-RPC messages.</summary>
    public IReadOnlyList<string> ProtocolViolations
    {
        get
        {
            lock (_protocolViolations)
            {
                return [.. _protocolViolations];
            }
        }
    }

    /// <summary>Answers requests the server sends to the client (such as roots/list); null leaves them unanswered.</summary>
    public Func<string, JsonObject?, JsonNode?>? ClientRequestHandler { get; set; }

    /// <summary>Starts the server; <paramref name="arguments"/> follow the dll path.</summary>
    public static ServerProcess Start(params string[] arguments) => Start(null, null, arguments);

    /// <summary>Starts the server in <paramref name="workingDirectory"/> with extra environment variables.</summary>
    public static ServerProcess Start(string? workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // Through env, which resets SIGINT to its default before it execs dotnet (the pid stays the
        // server's). A shell without job control starts a background job with SIGINT ignored, a child
        // inherits that, and the runtime then leaves SIGINT ignored: run as "bash .ci/run &", the SIGINT
        // test's server never saw its signal. Started this way, the server is as an interactive shell starts it.
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(ServerDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("TASK_ORCHESTRATOR_WORKSPACE");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        return new ServerProcess(Process.Start(start)!);
    }

    /// <summary>Starts the server on a workspace and completes the MCP handshake.</summary>
    public static Task<ServerProcess> StartInitializedAsync(string workspace, CancellationToken cancellationToken, string logLevel = "warning") =>
        StartInitializedAsync(null, cancellationToken, "--workspace", workspace, "--log-level", logLevel);

    /// <summary>Sends a request and returns the whole response message.</summary>
    public async Task<JsonObject> RequestAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }, cancellationToken);
        using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        return await completion.Task;
    }

    /// <summary>Writes <paramref name="line"/> as it is and returns the answer that carries <paramref name="id"/>.</summary>
    public async Task<JsonObject> SendRawLineAsync(string line, long id, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendLineAsync(line, cancellationToken);
        using var registration = cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));
        return await completion.Task;
    }

    /// <summary>Calls a tool and returns its result object (content, structuredContent, isError).</summary>
    public async Task<JsonObject> CallToolAsync(string tool, JsonObject arguments, CancellationToken cancellationToken)
    {
        var response = await RequestAsync("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments }, cancellationToken);
        return response["result"] as JsonObject
            ?? throw new InvalidOperationException($"tools/call {tool} returned no result: {response.ToJsonString()}");
    }

    public Task NotifyAsync(string method, JsonObject parameters, CancellationToken cancellationToken) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters }, cancellationToken);

    /// <summary>Closes stdin, as a client does when it goes away.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Kills the process at once (SIGKILL).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Sends a signal to the process.</summary>
    public void Signal(int signal) => _ = Posix.Kill(_process.Id, signal);

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
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
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }

            if (!await WaitForExitAsync(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        await _readLoop.ConfigureAwait(false);
        _process.Dispose();
        _writeGate.Dispose();
    }

    private Task SendAsync(JsonObject message, CancellationToken cancellationToken) => SendLineAsync(message.ToJsonString(), cancellationToken);

    private async Task SendLineAsync(string line, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                JsonObject? message = null;
                try
                {
                    message = JsonNode.Parse(line) as JsonObject;
                }
                catch (JsonException)
                {
                }

                if (message is null || message["jsonrpc"]?.GetValue<string>() != "2.0")
                {
                    lock (_protocolViolations)
                    {
                        _protocolViolations.Add(line);
                    }

                    continue;
                }

                if (message["method"] is JsonValue method && message["id"] is JsonNode requestId)
                {
                    // A request from the server to the client.
                    if (ClientRequestHandler?.Invoke(method.GetValue<string>(), message["params"] as JsonObject) is { } answer)
                    {
                        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId.DeepClone(), ["result"] = answer }, CancellationToken.None);
                    }

                    continue;
                }

                if (message["method"] is JsonValue notification)
                {
                    OnNotification(notification.GetValue<string>(), message["params"] as JsonObject);
                    continue;
                }

                if (message["id"] is JsonValue id && id.TryGetValue<long>(out var value) && _pending.TryRemove(value, out var completion))
                {
                    completion.TrySetResult(message);
                }
                else
                {
                    // An answer to no request waiting: answered twice, or an id the client never sent.
                    lock (_unmatchedAnswers)
                    {
                        _unmatchedAnswers.Add(line);
                    }
                }
            }
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new IOException("The server's stdout closed before it answered."));
            }
        }
    }
}
