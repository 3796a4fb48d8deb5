using System.Text.RegularExpressions;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.Tools;

public sealed partial class InitializeSessionTests
{
    private static readonly string[] BuiltInRoles =
        ["architect", "implementer", "tester", "reviewer", "documenter", "researcher", "debugger", "analyst", "devops", "coordinator", "generic"];

    [Fact]
    public async Task InitializeSession_NoArguments_ReturnsSessionWorkspaceRosterAndGuidance()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_initialize_session");

        SessionId().IsMatch(result.Str("session_id")!).ShouldBeTrue(result.Str("session_id"));
        result.Str("session_name").ShouldBe("Session 2026-11-21 09:00 UTC");
        result.Time("created_at").ShouldBe(server.Clock.GetUtcNow());
        result.Str("workspace.root").ShouldBe(server.Workspace);
        result.Str("workspace.resolved_from").ShouldBe("--workspace");
        result.Str("workspace.backend").ShouldBe("sqlite");
        result.Str("workspace.database_path").ShouldBe(Path.Combine(server.Workspace, ".task-orchestrator", "orchestrator.db"));
        result.Str("workspace.database_path")!.ShouldEndWith(".task-orchestrator/orchestrator.db");
        result.Str("workspace.workspace_id")!.ShouldStartWith("ws_");
        result.Pluck("specialist_roles", "name").ShouldBe(BuiltInRoles);
        result.Items("specialist_roles").ShouldAllBe(r => r.Str("source") == "builtin" && r.Str("title")!.Length > 0 && r.Str("description")!.Length > 0 && r.Items("expertise").Length > 0);
        result.Str("guidance")!.ShouldStartWith("# Working with TaskOrchestrator");
        StoreSnapshot.Value(server.DatabasePath, "SELECT name || '|' || status FROM session").ShouldBe("Session 2026-11-21 09:00 UTC|active");
        StoreSnapshot.Value(server.DatabasePath, $"SELECT count(*) FROM session WHERE id = '{result.Str("session_id")}'").ShouldBe("1");
    }

    [Fact]
    public async Task InitializeSession_SessionNameWithSpaces_StoresItTrimmed()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_initialize_session", new { session_name = "  Build the API  " });

        result.Str("session_name").ShouldBe("Build the API");
        StoreSnapshot.Value(server.DatabasePath, "SELECT name FROM session").ShouldBe("Build the API");
    }

    [Fact]
    public async Task InitializeSession_CalledTwice_CreatesTwoSessionsAndMakesTheSecondCurrent()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);

        var first = await server.InitializeAsync("first");
        var second = await server.InitializeAsync("second");
        var listed = await server.OkAsync("orchestrator_list_sessions");

        second.Str("session_id").ShouldNotBe(first.Str("session_id"));
        listed.Int("total_count").ShouldBe(2);
        listed.Items("sessions").Single(s => s.Bool("is_current")).Str("session_id").ShouldBe(second.Str("session_id"));
        var planned = await server.PlanAsync(new { title = "Belongs to the second" });
        planned.Str("task.session_id").ShouldBe(second.Str("session_id"));
    }

    [Fact]
    public async Task InitializeSession_WorkingDirectory_OpensThatWorkspace()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        using var other = new TemporaryDirectory("to-mcp-other");

        var result = await server.OkAsync("orchestrator_initialize_session", new { working_directory = other.Path });

        result.Str("workspace.root").ShouldBe(other.Path);
        result.Str("workspace.resolved_from").ShouldBe("working_directory");
        result.Str("workspace.database_path").ShouldBe(Path.Combine(other.Path, ".task-orchestrator", "orchestrator.db"));
        StoreSnapshot.Value(Path.Combine(other.Path, ".task-orchestrator", "orchestrator.db"), "SELECT id FROM session").ShouldBe(result.Str("session_id"));
        File.Exists(server.DatabasePath).ShouldBeFalse();
    }

    [Fact]
    public async Task InitializeSession_WorkingDirectory_LaterCallsOnTheConnectionUseThatWorkspaceAndSession()
    {
        await using var server = await OrchestratorServer.StartAsync(TestContext.Current.CancellationToken);
        using var other = new TemporaryDirectory("to-mcp-other");
        var session = await server.OkAsync("orchestrator_initialize_session", new { working_directory = other.Path });

        var planned = await server.PlanAsync(new { title = "Lives in the other workspace" });
        var status = await server.OkAsync("orchestrator_get_status");

        planned.Str("task.session_id").ShouldBe(session.Str("session_id"));
        status.Str("workspace.root").ShouldBe(other.Path);
        status.Str("workspace.resolved_from").ShouldBe("session");
        StoreSnapshot.Value(Path.Combine(other.Path, ".task-orchestrator", "orchestrator.db"), "SELECT id FROM task").ShouldBe(planned.Str("task_id"));
        File.Exists(server.DatabasePath).ShouldBeFalse();
    }

    [Fact]
    public async Task InitializeSession_RolesFileOverridesAndAddsRoles_RosterReflectsBoth()
    {
        using var workspace = new TemporaryDirectory("to-mcp-roles");
        Directory.CreateDirectory(Path.Combine(workspace.Path, ".task-orchestrator"));
        await File.WriteAllTextAsync(
            Path.Combine(workspace.Path, ".task-orchestrator", "roles.json"),
            """
            {
              "roles": [
                { "name": "tester", "title": "QA Lead", "expertise": ["exploratory testing"] },
                { "name": "security_auditor", "title": "Security Auditor", "description": "Audits code for vulnerabilities.", "prompt": "You audit the change for security flaws.", "expertise": ["threat modelling"] }
              ]
            }
            """,
            TestContext.Current.CancellationToken);
        await using var server = await OrchestratorServer.StartAsync(workspace.Path, TestContext.Current.CancellationToken);

        var result = await server.OkAsync("orchestrator_initialize_session");

        result.Pluck("specialist_roles", "name").ShouldBe([.. BuiltInRoles, "security_auditor"]);
        var tester = result.Items("specialist_roles").Single(r => r.Str("name") == "tester");
        tester.Str("title").ShouldBe("QA Lead");
        tester.Str("source").ShouldBe("builtin+workspace");
        tester.Strs("expertise").ShouldBe(["exploratory testing"]);
        tester.Str("description").ShouldBe("Establishes whether software does what it should, finds where it does not, and leaves behind tests that keep it that way.");
        var auditor = result.Items("specialist_roles")[^1];
        auditor.Str("title").ShouldBe("Security Auditor");
        auditor.Str("description").ShouldBe("Audits code for vulnerabilities.");
        auditor.Str("source").ShouldBe("workspace");

        var taskId = await server.PlanIdAsync(new { title = "Audit the login flow", specialist_type = "security_auditor" });
        var executed = await server.ExecuteAsync(taskId);
        executed.Str("specialist.name").ShouldBe("security_auditor");
        executed.Str("specialist.source").ShouldBe("workspace");
        executed.Str("specialist.prompt").ShouldBe("# Role: Security Auditor\n\nYou audit the change for security flaws.\n\n## Expertise\n- threat modelling");
    }

    [Fact]
    public async Task InitializeSession_MalformedRolesFile_ReturnsInvalidConfigurationAndCreatesNoSession()
    {
        using var workspace = new TemporaryDirectory("to-mcp-roles");
        Directory.CreateDirectory(Path.Combine(workspace.Path, ".task-orchestrator"));
        var rolesPath = Path.Combine(workspace.Path, ".task-orchestrator", "roles.json");
        await File.WriteAllTextAsync(rolesPath, """{ "roles": [ { "name": "Bad Name" } ] }""", TestContext.Current.CancellationToken);
        await using var server = await OrchestratorServer.StartAsync(workspace.Path, TestContext.Current.CancellationToken);

        var error = await server.ErrorAsync("orchestrator_initialize_session");

        error.Str("code").ShouldBe("invalid_configuration");
        error.Str("field").ShouldBe("roles.json");
        error.Str("message").ShouldBe($"The roles file '{rolesPath}' is invalid: role name \"Bad Name\" must be lowercase letters, digits and underscores, starting with a letter, at most 40 characters.");
        StoreSnapshot.Value(server.DatabasePath, "SELECT count(*) FROM session").ShouldBe("0");
    }

    [GeneratedRegex("^ses_[0-9a-hjkmnp-tv-z]{16}$")]
    private static partial Regex SessionId();
}
