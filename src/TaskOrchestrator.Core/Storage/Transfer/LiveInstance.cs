namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>A server instance whose heartbeat is recent enough that it counts as running.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Role">supervisor, worker or standalone.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="ProcessId">Its process id on that machine.</param>
/// <param name="HeartbeatAgo">How long ago it last heartbeat.</param>
public sealed record LiveInstance(string Id, string Role, string Host, long ProcessId, TimeSpan HeartbeatAgo)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Role} {Id} (pid {ProcessId} on {Host}, heartbeat {HeartbeatAgo.TotalSeconds:0.#} s ago)");
}
