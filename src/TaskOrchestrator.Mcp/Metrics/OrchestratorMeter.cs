using System.Diagnostics.Metrics;

namespace TaskOrchestrator.Mcp.Metrics;

/// <summary>
/// The one meter every orchestrator instrument is created on. One per service provider, so that two
/// hosts in one process (tests, the doctor) do not mix their figures: an exporter listens to this
/// instance, not to every meter that happens to carry the same name.
/// </summary>
public sealed class OrchestratorMeter : IDisposable
{
    /// <summary>The meter name, for exporters that select meters by name (OTLP).</summary>
    public const string Name = "TaskOrchestrator";

    /// <summary>Creates the meter.</summary>
    public OrchestratorMeter()
    {
        Meter = new Meter(Name);
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <inheritdoc />
    public void Dispose() => Meter.Dispose();
}
