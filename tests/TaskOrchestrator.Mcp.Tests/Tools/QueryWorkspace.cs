using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.Tools;

/// <summary>
/// One workspace seeded for the query tests, which only read it. Each task is created one minute after
/// the previous one (T0 = 2026-11-21 09:00 UTC):
/// <code>
/// +1m  Design      research        complex       high      session one  due 12-05  completed at +11m (artifact)
/// +2m  Implement   implementation  moderate      critical  session one  due 12-01  depends on Design (ready)
/// +3m  Tests       testing         simple        medium    session two  due 12-10  depends on Implement (waiting)
/// +4m  Archived    standard        trivial       low       session two             archived at +13m
/// +5m  Blocked     deployment      very_complex  low       session two             blocked at +12m
/// +6m  Parent      breakdown       moderate      medium    session one             ready, with Child alpha (documentation) and Child beta
/// </code>
/// </summary>
public sealed class QueryWorkspace : IAsyncLifetime
{
    internal OrchestratorServer Server { get; private set; } = null!;

    public string SessionOne { get; private set; } = null!;

    public string SessionTwo { get; private set; } = null!;

    public string Design { get; private set; } = null!;

    public string Implement { get; private set; } = null!;

    public string Tests { get; private set; } = null!;

    public string Archived { get; private set; } = null!;

    public string Blocked { get; private set; } = null!;

    public string Parent { get; private set; } = null!;

    public string ChildAlpha { get; private set; } = null!;

    public string ChildBeta { get; private set; } = null!;

    public string ArtifactId { get; private set; } = null!;

    public DateTimeOffset T0 { get; } = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Every task that is not archived, in creation order.</summary>
    public string[] Visible => [Design, Implement, Tests, Blocked, Parent, ChildAlpha, ChildBeta];

    public async ValueTask InitializeAsync()
    {
        Server = await OrchestratorServer.StartAsync();
        var clock = Server.Clock;
        SessionOne = (await Server.InitializeAsync("one")).Str("session_id")!;
        SessionTwo = (await Server.InitializeAsync("two")).Str("session_id")!;

        clock.Advance(TimeSpan.FromMinutes(1));
        Design = await Server.PlanIdAsync(new { title = "Design the database schema", description = "tables and indexes", task_type = "research", complexity = "complex", priority = "high", session_id = SessionOne, due_date = "2026-12-05" });
        clock.Advance(TimeSpan.FromMinutes(1));
        Implement = await Server.PlanIdAsync(new { title = "Implement the API", task_type = "implementation", priority = "critical", session_id = SessionOne, due_date = "2026-12-01", dependencies = new[] { Design } });
        clock.Advance(TimeSpan.FromMinutes(1));
        Tests = await Server.PlanIdAsync(new { title = "Write the tests", task_type = "testing", complexity = "simple", session_id = SessionTwo, due_date = "2026-12-10", dependencies = new[] { Implement } });
        clock.Advance(TimeSpan.FromMinutes(1));
        Archived = await Server.PlanIdAsync(new { title = "Archived idea", complexity = "trivial", priority = "low", session_id = SessionTwo });
        clock.Advance(TimeSpan.FromMinutes(1));
        Blocked = await Server.PlanIdAsync(new { title = "Blocked deployment", task_type = "deployment", complexity = "very_complex", priority = "low", session_id = SessionTwo });
        clock.Advance(TimeSpan.FromMinutes(1));
        var parent = await Server.PlanAsync(new
        {
            title = "Parent epic",
            task_type = "breakdown",
            session_id = SessionOne,
            subtasks = new object[] { new { title = "Child alpha", task_type = "documentation" }, new { title = "Child beta" } },
        });
        Parent = parent.Str("task_id")!;
        ChildAlpha = parent.Str("subtasks.0.task_id")!;
        ChildBeta = parent.Str("subtasks.1.task_id")!;

        clock.Advance(TimeSpan.FromMinutes(4)); // +10m
        await Server.ExecuteAsync(Design);
        clock.Advance(TimeSpan.FromMinutes(1)); // +11m
        ArtifactId = (await Server.CompleteAsync(Design, "schema designed", "CREATE TABLE report (...);")).Str("artifact.artifact_id")!;
        clock.Advance(TimeSpan.FromMinutes(1)); // +12m
        await Server.OkAsync("orchestrator_update_task", new { task_id = Blocked, status = "blocked", status_reason = "no credentials" });
        clock.Advance(TimeSpan.FromMinutes(1)); // +13m
        await Server.OkAsync("orchestrator_update_task", new { task_id = Archived, status = "archived" });
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
