using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;

namespace TaskOrchestrator.Mcp.Tests.BadInput;

/// <summary>Calls that need a session on a connection that never started or resumed one.</summary>
public sealed class NoCurrentSessionTests
{
    [Fact]
    public async Task SessionStatus_NoSessionOnTheConnection_ReturnsMissingSessionId()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanIdAsync(new { title = "Opens the workspace" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_session_status");

        error.Str("code").ShouldBe("missing_argument");
        error.Str("field").ShouldBe("session_id");
        error.Str("hint").ShouldBe("No session is current on this connection: pass session_id, or call orchestrator_initialize_session or orchestrator_resume_session first.");
        server.Snapshot().ShouldBe(before);
    }

    [Theory]
    [InlineData("scan_cleanup")]
    [InlineData("validate_structure")]
    [InlineData("update_documentation")]
    [InlineData("prepare_handover")]
    public async Task MaintenanceCoordinator_SessionScopeWithoutAnySession_ReturnsMissingSessionIdAndWritesNothing(string action)
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        await server.PlanIdAsync(new { title = "Opens the workspace" });
        var before = server.Snapshot();

        var error = await server.ErrorAsync("orchestrator_maintenance_coordinator", new { action, scope = "session" });

        error.Str("code").ShouldBe("missing_argument");
        error.Str("field").ShouldBe("session_id");
        server.Snapshot().ShouldBe(before);
        Directory.Exists(Path.Combine(server.Workspace, ".task-orchestrator", "docs")).ShouldBeFalse();
    }
}
