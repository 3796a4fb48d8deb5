namespace TaskOrchestrator.LoadHarness.Measurement;

/// <summary>
/// The memory of a server's processes (with a supervisor: it and its worker). Each process's own
/// peak resident set counts the build's code it shares with the other in full, so the two peaks do
/// not add up to what the server holds; the sampled proportional total counts shared pages once.
/// </summary>
/// <param name="Processes">Each process at the end of the measurement: its own peak (VmHWM), resident set and proportional set.</param>
/// <param name="PeakProportionalTotalMib">The highest sum of the processes' proportional sets seen while sampling (during seeding, and once after the timed calls).</param>
/// <param name="Samples">How many times the processes were sampled.</param>
internal sealed record ServerMemory(IReadOnlyList<ProcStatus> Processes, double PeakProportionalTotalMib, int Samples)
{
    /// <summary>The process holding the tasks: the worker, or the server itself without a supervisor.</summary>
    public ProcStatus? Worker => Processes.FirstOrDefault(p => p.Role == "worker") ?? (Processes.Count > 0 ? Processes[0] : null);
}

/// <summary>Samples the proportional memory of a process tree every <c>interval</c> until paused.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly int _rootPid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double _peakKib;
    private int _samples;

    public MemorySampler(int rootPid, TimeSpan interval)
    {
        _rootPid = rootPid;
        _sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => !t.IsCanceled && t.Result, TaskScheduler.Default));
        });
    }

    /// <summary>
    /// Stops sampling: reading a process's memory map takes its memory-map lock, which would show in
    /// the latencies measured next.
    /// </summary>
    public async Task PauseAsync()
    {
        Sample();
        await _stop.CancelAsync();
        await _sampling;
    }

    /// <summary>Stops sampling if it was not, and reads every process of the tree once more.</summary>
    public async Task<ServerMemory> FinishAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await PauseAsync();
        }

        Sample();
        var processes = ProcStatus.Tree(_rootPid).Select(ProcStatus.Read).OfType<ProcStatus>().ToList();
        return new ServerMemory(processes, Math.Round(_peakKib / 1024, 1), _samples);
    }

    private void Sample()
    {
        var total = ProcStatus.Tree(_rootPid).Select(ProcStatus.ProportionalKib).Where(kib => !double.IsNaN(kib)).Sum();
        lock (_stop)
        {
            _peakKib = Math.Max(_peakKib, total);
            _samples++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _sampling;
        }

        _stop.Dispose();
    }
}
