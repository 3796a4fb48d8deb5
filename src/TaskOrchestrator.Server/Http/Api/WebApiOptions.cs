namespace TaskOrchestrator.Server.Http.Api;

/// <summary>Settings of the REST read API and its event stream (configuration section <c>WebApi</c>).</summary>
internal sealed class WebApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "WebApi";

    /// <summary>
    /// How often an open event stream reads the event log for new entries. The log is the only truth
    /// (other processes write the same workspace), so a short interval is what makes the feed live; one
    /// indexed read per interval per stream costs next to nothing.
    /// </summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long an event stream may stay silent before a comment line is sent, so that proxies and load
    /// balancers, which close idle connections after 30 to 60 seconds, keep it open.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most events one read of the log fetches; a backlog is sent in batches of this size.</summary>
    public int EventBatchSize { get; set; } = 256;
}
