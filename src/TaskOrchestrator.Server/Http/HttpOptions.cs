namespace TaskOrchestrator.Server.Http;

/// <summary>The <c>Http</c> configuration section: how <c>serve --http</c> listens and whom it lets in.</summary>
internal sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>The port served when nothing else is configured.</summary>
    public const int DefaultPort = 7420;

    /// <summary>Where to listen: one or more <c>http://HOST:PORT</c> separated by ';'. HOST is an IP address, <c>localhost</c> or <c>*</c>.</summary>
    public string Urls { get; set; } = $"http://127.0.0.1:{DefaultPort}";

    /// <summary>
    /// SHA-256 hashes (64 hex digits) of the bearer tokens accepted; authentication is on when any is
    /// given. The tokens themselves are never configured, stored or logged.
    /// </summary>
    public IList<string> TokenHashes { get; } = [];

    /// <summary>Browser origins allowed besides this server's own loopback origin, e.g. <c>https://dash.example.com</c>.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Host header values (names or addresses, without port) allowed besides loopback and the bound address.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>The largest request body accepted, in bytes; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Requests one client may make per <see cref="RateLimitWindow"/> (a token bucket refilled over the window); 0 turns the limit off.</summary>
    public int RateLimitRequests { get; set; } = 10_000;

    /// <summary>The window <see cref="RateLimitRequests"/> is counted over.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An MCP session nobody used for this long ends; its client gets 404 and initializes again.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most sessions open at once; an initialize beyond it gets 503 until sessions end or expire.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>How often idle sessions are looked for and the session file brought up to date.</summary>
    public TimeSpan SessionSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The file the sessions are kept in across restarts; default <c>&lt;workspace&gt;/.task-orchestrator/http-sessions-PORT.json</c> (PORT of the first address).</summary>
    public string? SessionFile { get; set; }

    /// <summary>
    /// SSE events kept per session so that a client whose connection broke resumes its stream with
    /// <c>Last-Event-ID</c>; 0 turns resumability off (no event ids are sent).
    /// </summary>
    public int ResumableEventsPerSession { get; set; } = 256;

    /// <summary>The reconnection delay (SSE <c>retry</c>) sent at the start of every stream.</summary>
    public TimeSpan StreamRetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether bearer tokens are required.</summary>
    public bool AuthenticationEnabled => TokenHashes.Count > 0;
}
