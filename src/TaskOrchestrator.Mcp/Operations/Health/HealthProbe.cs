using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Operations;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Mcp.Operations.Instances;
using TaskOrchestrator.Mcp.Results;

namespace TaskOrchestrator.Mcp.Operations.Health;

/// <summary>
/// The individual health checks, each measured for real against the store, the file system or the
/// process and judged against <see cref="HealthOptions"/>. Shared by orchestrator_health_check and the
/// background monitor. A check never throws for what it checks: a failure is its critical result.
/// </summary>
public sealed class HealthProbe
{
    private const int ListLimit = 50;
    private readonly HealthOptions _options;
    private readonly InstanceIdentity _identity;
    private readonly TimeProvider _time;

    /// <summary>Creates the probe.</summary>
    public HealthProbe(IOptions<HealthOptions> options, InstanceIdentity identity, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _identity = identity;
        _time = time;
    }

    /// <summary>The thresholds in force.</summary>
    public HealthOptions Options => _options;

    /// <summary>database_open: the store answers a read transaction.</summary>
    public async Task<HealthCheckView> DatabaseOpenAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var read = await store.BeginReadAsync(cancellationToken);
            await read.Instances.GetAsync(_identity.InstanceId, cancellationToken);
            var ms = Ms(started);
            return Check("database_open", HealthStatus.Healthy, Invariant($"{store.Location.Backend} store at {store.Location.Location} is open and answered a read in {ms:0.###} ms."), started, ("read_ms", ms));
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return Check("database_open", HealthStatus.Critical, $"The store at {store.Location.Location} could not be read: {Describe(ex)}", started);
        }
    }

    /// <summary>integrity_quick: the backend's quick integrity check, with its duration.</summary>
    public static async Task<(HealthCheckView Check, IReadOnlyList<string> Problems)> IntegrityAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var problems = await store.Diagnostics.CheckIntegrityAsync(full: false, cancellationToken);
            return problems.Count == 0
                ? (Check("integrity_quick", HealthStatus.Healthy, Invariant($"Quick integrity check passed in {Ms(started):0.###} ms."), started, ("problems", 0)), problems)
                : (Check("integrity_quick", HealthStatus.Critical, $"Quick integrity check found {Text.Count(problems.Count, "problem")}: {string.Join("; ", problems.Take(3))}. Restore from a backup (docs/operations.md).", started, ("problems", problems.Count)), problems);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return (Check("integrity_quick", HealthStatus.Critical, $"The integrity check could not run: {Describe(ex)}", started), [Describe(ex)]);
        }
    }

    /// <summary>write_probe: one durable write transaction, timed; critical when the store refuses it.</summary>
    public async Task<(HealthCheckView Check, TimeSpan? Latency)> WriteProbeAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var latency = await store.Diagnostics.ProbeWriteAsync(_identity.InstanceId, cancellationToken);
            var ms = latency.TotalMilliseconds;
            var status = latency > _options.WriteProbeCriticalLatency ? HealthStatus.Critical
                : latency > _options.WriteProbeDegradedLatency ? HealthStatus.Degraded
                : HealthStatus.Healthy;
            var message = status == HealthStatus.Healthy
                ? Invariant($"A durable write committed in {ms:0.###} ms.")
                : Invariant($"A durable write took {ms:0.###} ms, above the {(status == HealthStatus.Critical ? _options.WriteProbeCriticalLatency : _options.WriteProbeDegradedLatency).TotalMilliseconds:0} ms {(status == HealthStatus.Critical ? "critical" : "degraded")} threshold: the disk is slow or another writer holds the database.");
            return (Check("write_probe", status, message, started, ("latency_ms", ms)), latency);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return (Check("write_probe", HealthStatus.Critical, $"The store refused a write: {Describe(ex)} Nothing can be saved until this is fixed (check the database file and its folder are writable and the disk is not full).", started), null);
        }
    }

    /// <summary>migrations_current: the applied schema is the one this build expects.</summary>
    public static async Task<(HealthCheckView Check, int Applied, int Latest)> MigrationsAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (applied, latest) = await store.Diagnostics.GetSchemaVersionAsync(cancellationToken);
            var figures = new (string, double)[] { ("applied", applied), ("latest", latest) };
            var check = applied == latest
                ? Check("migrations_current", HealthStatus.Healthy, Invariant($"Schema version {applied} is current."), started, figures)
                : applied < latest
                    ? Check("migrations_current", HealthStatus.Critical, Invariant($"Schema version {applied} is behind this build's {latest}: migrations did not run. Restart the server to apply them."), started, figures)
                    : Check("migrations_current", HealthStatus.Degraded, Invariant($"Schema version {applied} is newer than this build's {latest}: a newer server migrated the database. Upgrade this server."), started, figures);
            return (check, applied, latest);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return (Check("migrations_current", HealthStatus.Critical, $"The schema version could not be read: {Describe(ex)}", started), 0, 0);
        }
    }

    /// <summary>wal_size: the write-ahead log against its thresholds.</summary>
    public async Task<(HealthCheckView Check, StoreSize? Size)> WalSizeAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var size = await store.Diagnostics.GetSizeAsync(cancellationToken);
            var status = size.WalBytes > _options.WalCriticalBytes ? HealthStatus.Critical
                : size.WalBytes > _options.WalDegradedBytes ? HealthStatus.Degraded
                : HealthStatus.Healthy;
            var message = status == HealthStatus.Healthy
                ? Invariant($"Write-ahead log {Bytes(size.WalBytes)} (degraded above {Bytes(_options.WalDegradedBytes)}); database {Bytes(size.DatabaseBytes)}.")
                : Invariant($"Write-ahead log {Bytes(size.WalBytes)} is above the {Bytes(status == HealthStatus.Critical ? _options.WalCriticalBytes : _options.WalDegradedBytes)} {(status == HealthStatus.Critical ? "critical" : "degraded")} threshold: long readers keep checkpoints from emptying it.");
            return (Check("wal_size", status, message, started, ("wal_bytes", size.WalBytes), ("database_bytes", size.DatabaseBytes)), size);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return (Check("wal_size", HealthStatus.Critical, $"The database size could not be read: {Describe(ex)}", started), null);
        }
    }

    /// <summary>disk_free: free space on the file system holding the store, in bytes and percent.</summary>
    public (HealthCheckView Check, long? FreeBytes, long? TotalBytes) DiskFree(IOrchestratorStore store, string workspaceRoot)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        var path = store.Location.Backend == "sqlite" ? Path.GetDirectoryName(store.Location.Location) ?? workspaceRoot : workspaceRoot;
        try
        {
            var drive = new DriveInfo(path);
            long free = drive.AvailableFreeSpace;
            long total = drive.TotalSize;
            double percent = total > 0 ? Math.Round(100.0 * free / total, 2) : 100;
            var byBytes = free < _options.DiskFreeCriticalBytes ? HealthStatus.Critical : free < _options.DiskFreeDegradedBytes ? HealthStatus.Degraded : HealthStatus.Healthy;
            var byPercent = percent < _options.DiskFreeCriticalPercent ? HealthStatus.Critical : percent < _options.DiskFreeDegradedPercent ? HealthStatus.Degraded : HealthStatus.Healthy;
            var status = Worst(byBytes, byPercent);
            var limits = status == HealthStatus.Critical
                ? Invariant($"critical below {Bytes(_options.DiskFreeCriticalBytes)} or {_options.DiskFreeCriticalPercent}%")
                : Invariant($"degraded below {Bytes(_options.DiskFreeDegradedBytes)} or {_options.DiskFreeDegradedPercent}%");
            var message = status == HealthStatus.Healthy
                ? Invariant($"{Bytes(free)} free of {Bytes(total)} ({percent}%) on the file system of {path} ({limits}).")
                : Invariant($"Only {Bytes(free)} free of {Bytes(total)} ({percent}%) on the file system of {path}: {limits}. Free space before writes start failing.");
            return (Check("disk_free", status, message, started, ("free_bytes", free), ("total_bytes", total), ("free_percent", percent)), free, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (Check("disk_free", HealthStatus.Degraded, $"Free space on the file system of {path} could not be read: {ex.Message}", started), null, null);
        }
    }

    /// <summary>expired_leases: tasks in progress whose hold ran out; degraded when there are any.</summary>
    public async Task<(HealthCheckView Check, IReadOnlyList<TaskRecord> Tasks)> ExpiredLeasesAsync(IOrchestratorStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            IReadOnlyList<TaskRecord> expired;
            await using (var read = await store.BeginReadAsync(cancellationToken))
            {
                expired = await read.Tasks.GetExpiredLeasesAsync(_time.Now(), ListLimit, cancellationToken);
            }

            var check = expired.Count == 0
                ? Check("expired_leases", HealthStatus.Healthy, "No task in progress has an expired hold.", started, ("count", 0))
                : Check("expired_leases", HealthStatus.Degraded, $"{Text.Count(expired.Count, "task")} in progress {(expired.Count == 1 ? "has" : "have")} an expired hold ({string.Join(", ", expired.Take(5).Select(t => $"{t.Id} by '{t.AssignedAgent ?? "(unnamed)"}'"))}): {(expired.Count == 1 ? "its agent has" : "their agents have")} gone quiet. The health monitor sends them back to pending.", started, ("count", expired.Count));
            return (check, expired);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            return (Check("expired_leases", HealthStatus.Critical, $"Expired holds could not be read: {Describe(ex)}", started), []);
        }
    }

    /// <summary>memory: the resident set against its thresholds, with the managed heap.</summary>
    public (HealthCheckView Check, ProcessStatusView Process) Memory(DateTimeOffset processStartedAt)
    {
        var started = Stopwatch.GetTimestamp();
        using var process = Process.GetCurrentProcess();
        long workingSet = process.WorkingSet64;
        var view = new ProcessStatusView(
            workingSet,
            process.PeakWorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            process.Threads.Count,
            Math.Round((_time.GetUtcNow() - processStartedAt).TotalSeconds, 1));
        var status = workingSet > _options.MemoryCriticalBytes ? HealthStatus.Critical
            : workingSet > _options.MemoryDegradedBytes ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        var message = status == HealthStatus.Healthy
            ? Invariant($"Resident memory {Bytes(workingSet)}, managed heap {Bytes(view.GcHeapBytes)} (degraded above {Bytes(_options.MemoryDegradedBytes)}).")
            : Invariant($"Resident memory {Bytes(workingSet)} is above the {Bytes(status == HealthStatus.Critical ? _options.MemoryCriticalBytes : _options.MemoryDegradedBytes)} {(status == HealthStatus.Critical ? "critical" : "degraded")} threshold (managed heap {Bytes(view.GcHeapBytes)}).");
        return (Check("memory", status, message, started, ("working_set_bytes", workingSet), ("peak_working_set_bytes", view.PeakWorkingSetBytes), ("gc_heap_bytes", view.GcHeapBytes)), view);
    }

    /// <summary>The worst of several statuses.</summary>
    public static HealthStatus Worst(params IEnumerable<HealthStatus> statuses) =>
        statuses.DefaultIfEmpty(HealthStatus.Healthy).Max();

    /// <summary>A check result with its duration measured from <paramref name="started"/>.</summary>
    public static HealthCheckView Check(string name, HealthStatus status, string message, long started, params (string Name, double Value)[] figures) =>
        new(name, status, message, Math.Round(Ms(started), 3), figures.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));

    /// <summary>A byte count for people: 1.5 GiB, 320 MiB, 12 KiB, 512 B.</summary>
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 40 => Invariant($"{bytes / (double)(1L << 40):0.#} TiB"),
        >= 1L << 30 => Invariant($"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => Invariant($"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => Invariant($"{bytes / (double)(1L << 10):0.#} KiB"),
        _ => Invariant($"{bytes} B"),
    };

    /// <summary>What went wrong with the store, for a message.</summary>
    public static string Describe(Exception exception) =>
        exception is OrchestratorException orchestrator ? $"{orchestrator.Error.Code}: {orchestrator.Error.Message}" : $"{exception.GetType().Name}: {exception.Message}";

    /// <summary>True for the failures a store can raise (as opposed to bugs and cancellation).</summary>
    public static bool IsStoreFailure(Exception exception) =>
        exception is OrchestratorException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException;

    private static double Ms(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
