using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

/// <summary>--tools and Orchestrator:Tools on the real executable, behind the supervisor.</summary>
public sealed class ToolProfileProcessTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServeWithToolsCore_ListsTheCoreToolsAndTheSupervisorLeavesItsToolsToTheWorker()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--log-level", "warning", "--tools", "core");

        var list = await server.RequestAsync("tools/list", new JsonObject(), Token);
        var names = list["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        names.ShouldBe(
            [
                "orchestrator_initialize_session", "orchestrator_plan_task", "orchestrator_query_tasks", "orchestrator_execute_task",
                "orchestrator_complete_task", "orchestrator_claim_next_task", "orchestrator_heartbeat", "orchestrator_release_task",
                "orchestrator_get_status", "orchestrator_health_check",
            ],
            ignoreOrder: true);

        // A supervisor tool outside the profile is refused as any unlisted tool is, not answered.
        var restart = await server.RequestAsync("tools/call", new JsonObject { ["name"] = "orchestrator_restart_server", ["arguments"] = new JsonObject { ["reason"] = "manual_request" } }, Token);
        var refused = restart["error"]?["message"]?.GetValue<string>() ?? restart["result"]?["content"]?[0]?["text"]?.GetValue<string>();
        refused.ShouldNotBeNull(restart.ToJsonString());
        refused.ShouldContain("orchestrator_restart_server");
        (restart["result"]?["structuredContent"]?["restart_id"]).ShouldBeNull(restart.ToJsonString());
    }

    [Fact]
    public async Task ToolsOption_UnknownProfile_IsRefusedWithExitCode2NamingTheAllowedValues()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = ServerProcess.Start("--workspace", workspace.Path, "--tools", "tiny");

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue();
        server.ExitCode.ShouldBe(2);
        server.Stderr.ShouldContain("tiny");
        server.Stderr.ShouldContain("core");
        server.Stderr.ShouldContain("standard");
    }

    [Fact]
    public async Task ToolsSetting_UnknownProfileInConfiguration_IsRefusedWithExitCode2()
    {
        using var workspace = new TemporaryDirectory();
        var config = Path.Combine(workspace.Path, "config.json");
        await File.WriteAllTextAsync(config, """{ "Orchestrator": { "Tools": "tiny" } }""", Token);
        await using var server = ServerProcess.Start("--workspace", workspace.Path, "--config", config);

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue();
        server.ExitCode.ShouldBe(2);
        server.Stderr.ShouldContain("Orchestrator:Tools is 'tiny'; allowed: core, standard, all");
    }
}
