using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

/// <summary>
/// A workspace with a task in every interesting state, shared by the bad-input matrix: every call made
/// against it must be refused, so it never changes (each test checks that). Arguments are written as
/// JSON templates whose placeholders this class expands:
/// <list type="bullet">
/// <item>{P} pending and ready, {DEP} pending and waiting for {P}, {IP} in progress by agent-1,
/// {DONE} completed (with idempotency key "done-key"), {ARCH} archived, {BLK} blocked, {PARENT}
/// pending with the pending subtask {CHILD}; {S} an active session, {SA} an archived one.</item>
/// <item>{WS} the workspace; {OUT} a folder outside it holding secret.txt, {OUTNAME} its name. The
/// workspace holds inside.txt, escape.txt (a symlink to {OUT}/secret.txt) and linkdir (a symlink to {OUT}).</item>
/// <item>{x:N} N letters x; "{strings:N}" N distinct strings; "{subtasks:N}" N subtask specs;
/// "{nest:N}" subtasks nested N levels deep; "{bigcontext}" a context object of 70 000 characters.</item>
/// </list>
/// </summary>
public sealed partial class BadInputWorkspace : IAsyncLifetime
{
    private readonly TemporaryDirectory _outside = new("to-mcp-outside");
    private Dictionary<string, string> _names = [];

    internal OrchestratorServer Server { get; private set; } = null!;

    /// <summary>The documents the maintenance coordinator has written into the workspace.</summary>
    public string[] Documents()
    {
        var folder = Path.Combine(Server.Workspace, ".task-orchestrator", "docs");
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal)] : [];
    }

    public async ValueTask InitializeAsync()
    {
        Server = await OrchestratorServer.StartAsync();
        var ws = Server.Workspace;
        await File.WriteAllTextAsync(Path.Combine(_outside.Path, "secret.txt"), "secret");
        await File.WriteAllTextAsync(Path.Combine(ws, "inside.txt"), "inside");
        File.CreateSymbolicLink(Path.Combine(ws, "escape.txt"), Path.Combine(_outside.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(ws, "linkdir"), _outside.Path);

        var archivedSession = (await Server.InitializeAsync("to be archived")).Str("session_id")!;
        await Server.InitializeAsync("cleaner"); // the caller's own session is never cleaned up, so move on from the first
        Server.Clock.Advance(TimeSpan.FromDays(40));
        await Server.OkAsync("orchestrator_cleanup_sessions", new { cleanup_type = "inactive", older_than_days = 30 });
        var session = (await Server.InitializeAsync("active")).Str("session_id")!;

        var pending = await Server.PlanIdAsync(new { title = "Pending", session_id = session });
        var dependent = await Server.PlanIdAsync(new { title = "Dependent", session_id = session, dependencies = new[] { pending } });
        var inProgress = await Server.PlanIdAsync(new { title = "In progress", session_id = session });
        await Server.ExecuteAsync(inProgress, "agent-1");
        var done = await Server.PlanIdAsync(new { title = "Done", session_id = session });
        await Server.ExecuteAsync(done);
        await Server.OkAsync("orchestrator_complete_task", new { task_id = done, summary = "done", idempotency_key = "done-key" });
        var archived = await Server.PlanIdAsync(new { title = "Archived", session_id = session });
        await Server.OkAsync("orchestrator_update_task", new { task_id = archived, status = "archived" });
        var blocked = await Server.PlanIdAsync(new { title = "Blocked", session_id = session });
        await Server.OkAsync("orchestrator_update_task", new { task_id = blocked, status = "blocked", status_reason = "waiting" });
        var parent = await Server.PlanAsync(new { title = "Parent", session_id = session, subtasks = new object[] { new { title = "Child" } } });

        _names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["P"] = pending,
            ["DEP"] = dependent,
            ["IP"] = inProgress,
            ["DONE"] = done,
            ["ARCH"] = archived,
            ["BLK"] = blocked,
            ["PARENT"] = parent.Str("task_id")!,
            ["CHILD"] = parent.Str("subtasks.0.task_id")!,
            ["S"] = session,
            ["SA"] = archivedSession,
            ["WS"] = ws,
            ["OUT"] = _outside.Path,
            ["OUTNAME"] = Path.GetFileName(_outside.Path),
        };
    }

    /// <summary>The JSON arguments of a template, placeholders expanded.</summary>
    public string Expand(string template)
    {
        var json = Generated().Replace(template, m => Generate(m.Groups[1].Value, m.Groups[2].Value));
        return Placeholder().Replace(json, m => m.Groups[2].Success
            ? new string('x', int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : _names[m.Groups[1].Value]);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _outside.Dispose();
    }

    private static string Generate(string kind, string count)
    {
        int n = count.Length == 0 ? 0 : int.Parse(count, CultureInfo.InvariantCulture);
        return kind switch
        {
            "strings" => "[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"\"s{i}\"")) + "]",
            "subtasks" => "[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"{{\"title\":\"t{i}\"}}")) + "]",
            "nest" => Nest(n),
            "bigcontext" => $"{{\"blob\":\"{new string('c', 70_000)}\"}}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private static string Nest(int levels)
    {
        var text = new StringBuilder("[{\"title\":\"leaf\"}]");
        for (int i = 1; i < levels; i++)
        {
            text.Insert(0, "[{\"title\":\"level\",\"subtasks\":").Append("}]");
        }

        return text.ToString();
    }

    [GeneratedRegex("\"\\{(strings|subtasks|nest|bigcontext):?([0-9]*)\\}\"")]
    private static partial Regex Generated();

    [GeneratedRegex("\\{([A-Z]+|x:([0-9]+))\\}")]
    private static partial Regex Placeholder();
}
