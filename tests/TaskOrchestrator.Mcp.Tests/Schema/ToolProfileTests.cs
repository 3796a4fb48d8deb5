using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Mcp.Tests.Harness;
using TaskOrchestrator.Mcp.Tools;

namespace TaskOrchestrator.Mcp.Tests.Schema;

public sealed class ToolProfileTests
{
    private static readonly string[] Core =
    [
        "orchestrator_initialize_session", "orchestrator_plan_task", "orchestrator_query_tasks", "orchestrator_execute_task",
        "orchestrator_complete_task", "orchestrator_claim_next_task", "orchestrator_heartbeat", "orchestrator_release_task",
        "orchestrator_get_status", "orchestrator_health_check",
    ];

    private static readonly string[] Standard =
    [
        .. Core,
        "orchestrator_update_task", "orchestrator_cancel_task", "orchestrator_delete_task", "orchestrator_synthesize_results",
        "orchestrator_list_sessions", "orchestrator_resume_session", "orchestrator_cleanup_sessions", "orchestrator_session_status",
        "orchestrator_maintenance_coordinator", "orchestrator_validate_dependencies", "orchestrator_register_agent", "orchestrator_agent_status",
    ];

    private static readonly string[] All =
    [
        .. Standard,
        "orchestrator_shutdown_prepare", "orchestrator_restart_server", "orchestrator_restart_status", "orchestrator_reconnect_test",
    ];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string?, string[]> Profiles => new()
    {
        { ToolProfiles.Core, Core },
        { ToolProfiles.Standard, Standard },
        { ToolProfiles.All, All },
        { null, All },
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task ToolsList_UnderEachProfile_ListsExactlyItsTools(string? profile, string[] expected)
    {
        await using var server = await OrchestratorServer.StartAsync(services =>
        {
            if (profile is not null)
            {
                services.PostConfigure<OrchestratorOptions>(o => o.Tools = profile);
            }
        }, Token);

        var tools = await server.Client.ListToolsAsync(cancellationToken: Token);

        tools.Select(t => t.Name).ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public async Task CallingAToolOutsideTheProfile_IsRefused_AndNothingChanges()
    {
        await using var server = await OrchestratorServer.StartAsync(services => services.PostConfigure<OrchestratorOptions>(o => o.Tools = ToolProfiles.Core), Token);
        var task = await server.OkAsync("orchestrator_plan_task", new { title = "kept" });

        var refused = await Should.ThrowAsync<ModelContextProtocol.McpException>(() => server.Client.CallToolAsync("orchestrator_delete_task", new Dictionary<string, object?> { ["task_id"] = task.Str("task_id") }, cancellationToken: Token).AsTask());

        refused.Message.ShouldContain("orchestrator_delete_task");
        (await server.OkAsync("orchestrator_query_tasks", new { })).Items("tasks").Length.ShouldBe(1);
    }

    [Fact]
    public void SmallestWith_NamesTheSmallestProfileListingEachTool()
    {
        ToolProfiles.SmallestWith("orchestrator_claim_next_task").ShouldBe("core");
        ToolProfiles.SmallestWith("orchestrator_validate_dependencies").ShouldBe("standard");
        ToolProfiles.SmallestWith("orchestrator_agent_status").ShouldBe("standard");
        ToolProfiles.SmallestWith("orchestrator_restart_server").ShouldBe("all");
    }
}
