namespace TaskOrchestrator.Mcp.Operations.Instances;

/// <summary>The supervisor that runs this worker, as its environment describes it.</summary>
/// <param name="InstanceId">The supervisor's instance id: the holder of the work its workers start.</param>
/// <param name="ProcessId">The supervisor's process id.</param>
/// <param name="ProcessStartTicks">The supervisor's process start time in clock ticks since boot.</param>
/// <param name="WorkerGeneration">How many workers the supervisor started before this one.</param>
public sealed record SupervisorLink(string InstanceId, int ProcessId, long ProcessStartTicks, int WorkerGeneration);
