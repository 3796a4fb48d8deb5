using System.Diagnostics;
using Serilog;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>
/// One worker: a child process running the orchestrator over its stdin and stdout. Its stdout lines go
/// to the supervisor's router; its stderr is passed through to the supervisor's stderr, with the last
/// lines kept for the crash report.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly LineWriter _input;
    private readonly Queue<string> _stderrTail = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WorkerProcess(Process process, int generation, WorkerBuild build, string? configFile, DateTimeOffset startedAt)
    {
        _process = process;
        _input = new LineWriter(process.StandardInput.BaseStream);
        Generation = generation;
        Build = build;
        ConfigFile = configFile;
        StartedAt = startedAt;
        ProcessId = process.Id;
    }

    /// <summary>How many workers the supervisor started before this one.</summary>
    public int Generation { get; }

    /// <summary>The build it runs.</summary>
    public WorkerBuild Build { get; }

    /// <summary>The configuration file it was given, if any.</summary>
    public string? ConfigFile { get; }

    /// <summary>When it was started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Its process id.</summary>
    public int ProcessId { get; }

    /// <summary>The server version it reported when initialized.</summary>
    public string? Version { get; set; }

    /// <summary>Completes with the exit code once the process has exited and its stdout is read to the end.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Whether the supervisor stopped it on purpose (a restart), so its exit is no crash.</summary>
    public bool StopRequested { get; set; }

    /// <summary>Whether its end was already handled as a crash (under the supervisor's lock).</summary>
    public bool CrashHandled { get; set; }

    /// <summary>The last lines it wrote to stderr.</summary>
    public IReadOnlyList<string> StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return [.. _stderrTail];
            }
        }
    }

    /// <summary>
    /// Starts a worker. <paramref name="onLine"/> receives each stdout line in order, as a view valid
    /// until its task completes; the process is running when this returns (its startup continues in
    /// the background).
    /// </summary>
    public static WorkerProcess Start(
        WorkerBuild build,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        int generation,
        string? configFile,
        DateTimeOffset now,
        Func<WorkerProcess, ReadOnlyMemory<byte>, ValueTask> onLine,
        ILogger logger)
    {
        var start = new ProcessStartInfo(build.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in build.PrefixArguments.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"The worker '{build.Executable}' did not start.");
        var worker = new WorkerProcess(process, generation, build, configFile, now);
        worker.Pump(onLine, logger);
        return worker;
    }

    /// <summary>Sends one message to the worker's stdin; false when the worker is gone.</summary>
    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> line) => _input.WriteAsync(line);

    /// <summary>Closes the worker's stdin: the worker shuts down gracefully when it reads the end.</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the worker at once (SIGKILL).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        _process.Dispose();
    }

    private void Pump(Func<WorkerProcess, ReadOnlyMemory<byte>, ValueTask> onLine, ILogger logger)
    {
        var stdout = Task.Run(() => LineReader.ReadAsync(_process.StandardOutput.BaseStream, line => onLine(this, line), CancellationToken.None));
        var stderr = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderrTail)
                {
                    if (_stderrTail.Count == TailLines)
                    {
                        _stderrTail.Dequeue();
                    }

                    _stderrTail.Enqueue(line);
                }

                // The worker logs to stderr; the client reads the supervisor's stderr, so pass it on.
                await Console.Error.WriteLineAsync(line);
            }
        });
        _ = Task.Run(async () =>
        {
            try
            {
                await _process.WaitForExitAsync();
                await Task.WhenAll(stdout, stderr);
            }
            catch (Exception ex)
            {
                logger.Warning(ex, "Reading worker {Generation} (pid {Pid}) failed", Generation, ProcessId);
            }

            _exited.TrySetResult(_process.ExitCode);
        });
    }
}
