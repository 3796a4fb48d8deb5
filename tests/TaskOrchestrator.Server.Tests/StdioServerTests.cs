using System.Text.Json.Nodes;
using Shouldly;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests;

public sealed class StdioServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_ToolCalls_StdoutCarriesOnlyJsonRpcAndLogsGoToStderrAndWorkspaceFile()
    {
        using var workspace = new TemporaryDirectory();
        await using var server = ServerProcess.Start("--workspace", workspace.Path, "--log-level", "debug");
        var init = await server.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "t", ["version"] = "1" },
        }, Token);
        await server.NotifyAsync("notifications/initialized", new JsonObject(), Token);
        var tools = await server.RequestAsync("tools/list", new JsonObject(), Token);
        var session = await server.CallToolAsync("orchestrator_initialize_session", new JsonObject { ["session_name"] = "stdio" }, Token);
        var plan = await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "Write the parser" }, Token);
        server.CloseInput();
        (await server.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBeTrue();

        init["result"]!["serverInfo"]!["name"]!.GetValue<string>().ShouldBe("task-orchestrator");
        tools["result"]!["tools"]!.AsArray().Count.ShouldBe(26);
        session["isError"]?.GetValue<bool>().ShouldNotBe(true);
        plan["structuredContent"]!["status"]!.GetValue<string>().ShouldBe("pending");
        server.ProtocolViolations.ShouldBeEmpty();
        server.ExitCode.ShouldBe(0);
        server.Stderr.ShouldContain("serving MCP over stdio");
        var logs = Directory.GetFiles(Path.Combine(workspace.Path, ".task-orchestrator", "logs"), "task-orchestrator-*.log");
        logs.Length.ShouldBe(1);
        (await File.ReadAllTextAsync(logs[0], Token)).ShouldContain("serving MCP over stdio");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_UnreadableLines_GetAParseErrorWhenTheirIdCanBeRead_AndServingGoesOn(bool supervised)
    {
        using var workspace = new TemporaryDirectory();
        await using var server = supervised
            ? await ServerProcess.StartInitializedAsync(workspace.Path, Token)
            : await ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--no-supervisor");

        var truncated = await server.SendRawLineAsync("garbage\n{\"jsonrpc\":\"2.0\",\"id\":900001,\"method\":\"ping\"", 900001, Token).WaitAsync(TimeSpan.FromSeconds(15), Token);
        var plan = await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "after the bad lines" }, Token);

        truncated["error"]!["code"]!.GetValue<int>().ShouldBe(-32700);
        truncated["error"]!["message"]!.GetValue<string>().ShouldStartWith("The request is not a valid JSON-RPC message");
        plan["structuredContent"]!["status"]!.GetValue<string>().ShouldBe("pending");
        server.ProtocolViolations.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_ALineLongerThan64MiB_IsRefusedWithItsIdAndNothingStored_AndServingGoesOn(bool supervised)
    {
        using var workspace = new TemporaryDirectory();
        await using var server = supervised
            ? await ServerProcess.StartInitializedAsync(workspace.Path, Token)
            : await ServerProcess.StartInitializedAsync(null, Token, "--workspace", workspace.Path, "--no-supervisor");
        var line = "{\"jsonrpc\":\"2.0\",\"id\":900002,\"method\":\"tools/call\",\"params\":{\"name\":\"orchestrator_plan_task\",\"arguments\":{\"title\":\""
            + new string('x', 64 * 1024 * 1024) + "\"}}}";

        var refusal = await server.SendRawLineAsync(line, 900002, Token).WaitAsync(TimeSpan.FromSeconds(60), Token);
        var plan = await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "after the long line" }, Token);

        refusal["error"]!["code"]!.GetValue<int>().ShouldBe(-32600);
        refusal["error"]!["message"]!.GetValue<string>().ShouldStartWith($"The request is a line of {line.Length} bytes; a line may hold at most 67108864 bytes");
        plan["structuredContent"]!["status"]!.GetValue<string>().ShouldBe("pending");
        using var db = WorkspaceDatabase.Open(workspace.Path);
        WorkspaceDatabase.Column(db, "SELECT title FROM task").ShouldBe(["after the long line"]);
    }

    [Theory]
    [InlineData(Posix.SigTerm)]
    [InlineData(Posix.SigInt)]
    public async Task Serve_Signal_ShutsDownGracefullyWithExitCode0(int signal)
    {
        using var workspace = new TemporaryDirectory();
        await using var server = await ServerProcess.StartInitializedAsync(workspace.Path, Token, logLevel: "information");
        await server.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "before the signal" }, Token);

        server.Signal(signal);

        (await server.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBeTrue($"the server did not exit within 15 s of signal {signal}; its log:\n{server.Stderr}");
        server.ExitCode.ShouldBe(0);
        server.Stderr.ShouldContain("task-orchestrator stopped");
        using var db = WorkspaceDatabase.Open(workspace.Path);
        WorkspaceDatabase.Column(db, "SELECT title FROM task").ShouldBe(["before the signal"]);
    }

    [Fact]
    public async Task Serve_TwoWorkspaces_NeverSeeEachOthersTasks()
    {
        using var first = new TemporaryDirectory();
        using var second = new TemporaryDirectory();
        await using var a = await ServerProcess.StartInitializedAsync(first.Path, Token);
        await using var b = await ServerProcess.StartInitializedAsync(second.Path, Token);

        await a.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "only in the first" }, Token);
        await b.CallToolAsync("orchestrator_plan_task", new JsonObject { ["title"] = "only in the second" }, Token);
        var seenByA = await a.CallToolAsync("orchestrator_query_tasks", new JsonObject(), Token);
        var seenByB = await b.CallToolAsync("orchestrator_query_tasks", new JsonObject(), Token);

        seenByA["structuredContent"]!["tasks"]!.AsArray().Select(t => t!["title"]!.GetValue<string>()).ShouldBe(["only in the first"]);
        seenByB["structuredContent"]!["tasks"]!.AsArray().Select(t => t!["title"]!.GetValue<string>()).ShouldBe(["only in the second"]);
    }
}
