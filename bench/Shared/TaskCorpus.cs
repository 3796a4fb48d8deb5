namespace TaskOrchestrator.Bench.Shared;

/// <summary>
/// Deterministic, realistic task text for seeding benchmark workspaces. Each title names one of
/// <see cref="Components"/> (32 of them, so each appears in about 3% of titles); descriptions use a
/// separate vocabulary, so a component word searched for matches a few percent of the tasks.
/// </summary>
internal sealed class TaskCorpus
{
    /// <summary>Words to search for: components that each appear in about 1/32 of the titles.</summary>
    public static readonly IReadOnlyList<string> SearchWords = ["cache", "webhook", "ledger", "tokenizer"];

    private static readonly string[] Components =
    [
        "cache", "parser", "scheduler", "exporter", "webhook", "session", "invoice", "search",
        "upload", "profile", "queue", "ledger", "router", "gateway", "metrics", "backup",
        "tokenizer", "renderer", "importer", "notifier", "catalog", "checkout", "inventory", "permissions",
        "migration", "dashboard", "sandbox", "crawler", "compiler", "archive", "firewall", "telemetry",
    ];

    private static readonly string[] Verbs =
    [
        "Implement", "Refactor", "Test", "Document", "Review", "Fix", "Add", "Remove", "Harden", "Optimize", "Split", "Instrument",
    ];

    private static readonly string[] Aspects =
    [
        "retry handling", "error reporting", "configuration", "pagination", "timeouts", "logging", "input validation",
        "concurrency limits", "startup path", "shutdown path", "schema", "rate limiting", "encoding", "localization",
    ];

    private static readonly string[] Goals =
    [
        "clients get a clear error instead of a hang",
        "the nightly job finishes inside its window",
        "operators can see what happened from the logs alone",
        "a restart loses no acknowledged work",
        "the p99 latency stays flat as data grows",
        "new contributors can follow the flow without a debugger",
    ];

    private static readonly string[] Criteria =
    [
        "unit tests cover the new branches",
        "the integration suite passes twice in a row",
        "the runbook is updated",
        "a reviewer signs off on the design note",
        "the dashboard shows the new counters",
    ];

    private static readonly string[] Types = ["standard", "implementation", "testing", "review", "documentation", "research"];

    private static readonly string[] Complexities = ["trivial", "simple", "moderate", "complex", "very_complex"];

    private readonly Random _random;
    private int _serial;

    public TaskCorpus(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>The next task: unique title (a serial number is appended), description, and enum values by wire name.</summary>
    public GeneratedTask Next()
    {
        _serial++;
        var component = Components[_random.Next(Components.Length)];
        var title = $"{Pick(Verbs)} {component} {Pick(Aspects)} #{_serial}";
        var description = $"Rework the {Pick(Aspects)} so that {Pick(Goals)}. Done when {Pick(Criteria)} and {Pick(Criteria)}.";
        int p = _random.Next(100);
        var priority = p < 30 ? "low" : p < 70 ? "medium" : p < 90 ? "high" : "critical";
        return new GeneratedTask(title, description, Pick(Types), priority, Pick(Complexities));
    }

    private string Pick(string[] words) => words[_random.Next(words.Length)];
}
