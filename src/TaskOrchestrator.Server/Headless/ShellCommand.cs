using System.Diagnostics;
using System.Text;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// A task's command running through <c>/bin/sh -c</c> in the workspace folder: the task's JSON written
/// to its stdin, stdout and stderr read as they come (each within the output limit), killed with
/// its whole process tree on request.
/// </summary>
internal sealed class ShellCommand : IDisposable
{
    // After the shell exits, how long to wait for its output pipes to close: a background process it
    // started may hold them open for ever, and what it prints later is not the task's result.
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly Task _stdinWriter;

    private ShellCommand(Process process, string input, int outputLimit)
    {
        _process = process;
        Stdout = new CappedOutput(outputLimit);
        Stderr = new CappedOutput(outputLimit);
        _stdoutPump = PumpAsync(process.StandardOutput, Stdout);
        _stderrPump = PumpAsync(process.StandardError, Stderr);
        _stdinWriter = WriteInputAsync(process.StandardInput, input);
    }

    public int ProcessId => _process.Id;

    public CappedOutput Stdout { get; }

    public CappedOutput Stderr { get; }

    /// <summary>Starts <paramref name="command"/> in <paramref name="workingDirectory"/> with <paramref name="environment"/> added.</summary>
    public static ShellCommand Start(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, string input, int outputLimit)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ShellCommand(Process.Start(start) ?? throw new InvalidOperationException($"/bin/sh did not start for '{command}'."), input, outputLimit);
    }

    /// <summary>Waits for the shell to exit and its output to be read; returns its exit code (128 + n when killed by signal n).</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(OutputDrainTimeout);
        }
        catch (TimeoutException)
        {
        }

        // A process the command left behind may hold its stdin open unread; the task is over anyway.
        await Task.WhenAny(_stdinWriter, Task.Delay(OutputDrainTimeout));
        return _process.ExitCode;
    }

    /// <summary>Kills the shell and everything it started (SIGKILL). Safe when it already exited.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose() => _process.Dispose();

    private static async Task PumpAsync(StreamReader reader, CappedOutput output)
    {
        var buffer = new char[8192];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (IOException)
        {
            // The pipe broke when the process tree was killed: what was read is what there is.
        }
    }

    // A command need not read its stdin: when it exits (or is killed) before reading it all, the pipe
    // breaks, which is not an error of the task.
    private static async Task WriteInputAsync(StreamWriter stdin, string input)
    {
        try
        {
            await stdin.WriteAsync(input);
            await stdin.FlushAsync();
            stdin.Close();
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
