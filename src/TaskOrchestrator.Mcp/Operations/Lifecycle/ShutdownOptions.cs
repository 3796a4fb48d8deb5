namespace TaskOrchestrator.Mcp.Operations.Lifecycle;

/// <summary>How the server shuts down (configuration section <c>Shutdown</c>).</summary>
public sealed class ShutdownOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Shutdown";

    /// <summary>How long tool calls in flight get to finish once shutdown begins; later ones are cancelled.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
