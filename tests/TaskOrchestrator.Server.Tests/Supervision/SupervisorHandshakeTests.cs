using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>
/// The supervisor answers the client's first initialize itself while its first worker starts: the
/// answer must be the one the worker's SDK gives, for every protocol revision a client may ask for,
/// and what the client sends next must reach the worker in order once it serves.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SupervisorHandshakeTests
{
    private const string NoRevision = "(none)";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> Revisions => new()
    {
        "2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25",
        "2025-01-01", // unknown and older than the handshake-free revisions: the latest is offered
        "2026-07-28", // no initialize handshake in this revision: refused by the worker's SDK
        NoRevision, // no protocolVersion: refused by the worker's SDK
    };

    [Theory]
    [MemberData(nameof(Revisions))]
    public async Task Initialize_AnsweredAsTheWorkerAnswersIt(string revision)
    {
        using var workspace = new TemporaryDirectory();
        var parameters = new JsonObject { ["capabilities"] = new JsonObject(), ["clientInfo"] = new JsonObject { ["name"] = "handshake-test", ["version"] = "1.0" } };
        if (revision != NoRevision)
        {
            parameters["protocolVersion"] = revision;
        }

        await using var supervised = ServerProcess.Start("--workspace", workspace.Path, "--log-level", "warning");
        await using var alone = ServerProcess.Start("--workspace", workspace.Path, "--log-level", "warning", "--no-supervisor");
        var answers = await Task.WhenAll(
            supervised.RequestAsync("initialize", parameters.DeepClone().AsObject(), Token),
            alone.RequestAsync("initialize", parameters.DeepClone().AsObject(), Token));

        // Member order aside (JSON objects are unordered), the same answer: result or error alike.
        JsonNode.DeepEquals(answers[0], answers[1]).ShouldBeTrue($"supervised: {answers[0].ToJsonString()}{Environment.NewLine}worker alone: {answers[1].ToJsonString()}");
        if (revision is "2025-01-01")
        {
            answers[0]["result"]!["protocolVersion"]!.GetValue<string>().ShouldBe("2025-11-25");
        }
    }

    [Fact]
    public async Task CallsSentRightAfterTheHandshake_AreHeldForTheWorkerAndEachAnsweredOnce()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = ServerProcess.Start("--workspace", workspace.Path, "--log-level", "warning");
        var initialize = await server.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "eager-client", ["version"] = "2.0" },
        }, Token);
        initialize["result"]!["serverInfo"]!["name"]!.GetValue<string>().ShouldBe("task-orchestrator");
        await server.NotifyAsync("notifications/initialized", new JsonObject(), Token);

        // Sent at once, while the worker may still be starting: each waits for it, none is lost.
        var session = server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["session_name"] = "eager" }, Token);
        var tools = server.RequestAsync("tools/list", new JsonObject(), Token);
        var planned = server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "planned before the worker was ready" }, Token);
        var health = server.CallToolAsync("orchestrator_health_check", new JsonObject { ["include_connection_status"] = true }, Token);
        await Task.WhenAll(session, tools, planned, health);

        // The worker runs requests concurrently, as any MCP server may, so the plan is not ordered
        // after the session it was sent after; each is answered, by the worker, once.
        SupervisedServer.Ok(await session)["session_id"]!.GetValue<string>().ShouldStartWith("ses_");
        SupervisedServer.Ok(await planned)["task"]!["title"]!.GetValue<string>().ShouldBe("planned before the worker was ready");
        (await tools)["result"]!["tools"]!.AsArray().Count.ShouldBe(26);
        var client = SupervisedServer.Ok(await health)["connections"]!["clients"]!.AsArray().ShouldHaveSingleItem()!;
        (client["name"]!.GetValue<string>(), client["protocol_version"]!.GetValue<string>()).ShouldBe(("eager-client", "2025-06-18"));
        server.UnmatchedAnswers.ShouldBeEmpty();
    }
}
