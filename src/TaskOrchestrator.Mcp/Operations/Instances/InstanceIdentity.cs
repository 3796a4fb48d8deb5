using System.Globalization;
using System.Reflection;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Operations;

namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>
/// Who this server process is: the row it registers in every workspace it opens, and the identity that
/// holds the work it starts. A worker run by a supervisor holds work in the supervisor's name, so that
/// work survives the worker being replaced; a standalone process holds it in its own.
/// </summary>
public sealed record InstanceIdentity
{
    /// <summary>This process's instance id, <c>inst_…</c>.</summary>
    public required string InstanceId { get; init; }

    /// <summary>Worker when supervised, else standalone.</summary>
    public required InstanceRole Role { get; init; }

    /// <summary>The supervisor, when there is one.</summary>
    public SupervisorLink? Supervisor { get; init; }

    /// <summary>The operating-system process id.</summary>
    public required int ProcessId { get; init; }

    /// <summary>The process start time in clock ticks since boot (/proc/self/stat field 22).</summary>
    public required long ProcessStartTicks { get; init; }

    /// <summary>The machine's host name.</summary>
    public required string Host { get; init; }

    /// <summary>The executable the process runs.</summary>
    public required string Executable { get; init; }

    /// <summary>The server version.</summary>
    public required string Version { get; init; }

    /// <summary>When the process started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>True when a supervisor runs this process.</summary>
    public bool Supervised => Supervisor is not null;

    /// <summary>The identity stamped into the work this process starts (task.holder_instance_id).</summary>
    public string HolderId => Supervisor?.InstanceId ?? InstanceId;

    /// <summary>The instance ids whose rows this process registers and heartbeats.</summary>
    public IReadOnlyList<string> OwnIds => Supervisor is { } supervisor ? [InstanceId, supervisor.InstanceId] : [InstanceId];

    /// <summary>
    /// The identity of this process: supervised when <see cref="SupervisorProtocol.SupervisedVariable"/>
    /// is "1" and the supervisor's instance id is given.
    /// </summary>
    public static InstanceIdentity FromEnvironment(Func<string, string?> environment, IdGenerator ids, ProcessInspector processes, string version)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(processes);
        SupervisorLink? supervisor = null;
        if (environment(SupervisorProtocol.SupervisedVariable) == "1" && environment(SupervisorProtocol.InstanceIdVariable) is { Length: > 0 } supervisorId)
        {
            supervisor = new SupervisorLink(
                supervisorId,
                ParseInt(environment(SupervisorProtocol.SupervisorPidVariable)),
                long.TryParse(environment(SupervisorProtocol.SupervisorStartTicksVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : 0,
                ParseInt(environment(SupervisorProtocol.WorkerGenerationVariable)));
        }

        return new InstanceIdentity
        {
            InstanceId = ids.New("inst"),
            Role = supervisor is null ? InstanceRole.Standalone : InstanceRole.Worker,
            Supervisor = supervisor,
            ProcessId = Environment.ProcessId,
            ProcessStartTicks = processes.CurrentStartTicks(),
            Host = Environment.MachineName,
            Executable = Environment.ProcessPath ?? "unknown",
            Version = version,
            StartedAt = OrchestratorOptions.ProcessStart,
        };
    }

    /// <summary>The informational version of the entry assembly (the server), e.g. 0.2.0+3f2a1c9.</summary>
    public static string EntryVersion()
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(InstanceIdentity).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
    }

    /// <summary>This process's row in a workspace, running, heartbeating at <paramref name="now"/>.</summary>
    public ServerInstanceRecord Record(string workspaceId, DateTimeOffset now) => new()
    {
        Id = InstanceId,
        WorkspaceId = workspaceId,
        Role = Role,
        ParentId = Supervisor?.InstanceId,
        Host = Host,
        ProcessId = ProcessId,
        ProcessStartedAt = ProcessStartTicks,
        Executable = Executable,
        Version = Version,
        State = InstanceState.Running,
        StartedAt = Clock.Truncate(StartedAt),
        HeartbeatAt = now,
    };

    /// <summary>
    /// The supervisor's row, running, heartbeating at <paramref name="now"/>; what an earlier worker
    /// registered (start time, executable, version) is kept.
    /// </summary>
    public ServerInstanceRecord? SupervisorRecord(string workspaceId, ServerInstanceRecord? existing, DateTimeOffset supervisorStartedAt, DateTimeOffset now)
    {
        if (Supervisor is not { } supervisor)
        {
            return null;
        }

        return new ServerInstanceRecord
        {
            Id = supervisor.InstanceId,
            WorkspaceId = workspaceId,
            Role = InstanceRole.Supervisor,
            Host = Host,
            ProcessId = supervisor.ProcessId,
            ProcessStartedAt = supervisor.ProcessStartTicks,
            Executable = existing?.Executable ?? Executable,
            Version = existing?.Version ?? Version,
            State = InstanceState.Running,
            StartedAt = existing?.StartedAt ?? Clock.Truncate(supervisorStartedAt),
            HeartbeatAt = now,
        };
    }

    private static int ParseInt(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
}
