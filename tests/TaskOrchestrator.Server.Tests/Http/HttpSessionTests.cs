using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Server.Http.Mcp;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Http;

public sealed class HttpSessionTests
{
    private const string ListTools = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    [Fact]
    public async Task Post_UnknownSession_Is404WithJsonRpcError()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        using var request = HttpTestServer.McpPost(ListTools, sessionId: "no-such-session");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var message = HttpTestServer.Message(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        message["error"]!["code"]!.GetValue<int>().ShouldBe(-32001);
        message["id"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Initialize_BeyondMaxSessions_Is503UntilASessionEnds()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:MaxSessions"] = "1" });
        var first = await server.InitializeAsync();

        using (var request = HttpTestServer.McpPost(HttpTestServer.InitializeBody))
        using (var refused = await server.Client.SendAsync(request, TestContext.Current.CancellationToken))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"code\":\"too_many_sessions\"");
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/mcp"))
        {
            delete.Headers.Add("Mcp-Session-Id", first);
            using var deleted = await server.Client.SendAsync(delete, TestContext.Current.CancellationToken);
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await server.InitializeAsync()).ShouldNotBe(first);
    }

    [Fact]
    public async Task Post_NonInitializeWithoutSession_Is400()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        using var request = HttpTestServer.McpPost(ListTools);

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Mcp-Session-Id header is missing");
    }

    [Fact]
    public async Task Post_UnsupportedProtocolVersionHeader_Is400ListingTheSupportedOnes()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        var sessionId = await server.InitializeAsync();
        using var request = HttpTestServer.McpPost(ListTools, sessionId, protocolVersion: "1999-01-01");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = HttpTestServer.Message(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))["error"]!;
        error["code"]!.GetValue<int>().ShouldBe(-32022);
        error["data"]!["requested"]!.GetValue<string>().ShouldBe("1999-01-01");
        error["data"]!["supported"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]);
    }

    [Fact]
    public async Task Post_SupportedVersion_ListsTools_AndDeleteEndsTheSession()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        var sessionId = await server.InitializeAsync();

        using (var list = HttpTestServer.McpPost(ListTools, sessionId, "2025-06-18"))
        using (var response = await server.Client.SendAsync(list, TestContext.Current.CancellationToken))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            HttpTestServer.Message(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))["result"]!["tools"]!.AsArray().Count.ShouldBe(26);
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, "/mcp"))
        {
            delete.Headers.Add("Mcp-Session-Id", sessionId);
            using var deleted = await server.Client.SendAsync(delete, TestContext.Current.CancellationToken);
            deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using var again = HttpTestServer.McpPost(ListTools, sessionId, "2025-06-18");
        using var gone = await server.Client.SendAsync(again, TestContext.Current.CancellationToken);
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Post_AcceptingOnlyJson_IsAnsweredWithOneJsonObject()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        var sessionId = await server.InitializeAsync();
        using var request = HttpTestServer.McpPost(ListTools, sessionId, "2025-06-18");
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        message["id"]!.GetValue<int>().ShouldBe(2);
        message["result"]!["tools"]!.AsArray().Count.ShouldBe(26);
    }

    [Fact]
    public async Task Post_AcceptingNeitherJsonNorEventStream_Is406()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        using var request = HttpTestServer.McpPost(HttpTestServer.InitializeBody);
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task Get_OpensTheServerStreamOnce_ASecondIs409()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        var sessionId = await server.InitializeAsync();
        HttpRequestMessage Stream()
        {
            var get = new HttpRequestMessage(HttpMethod.Get, "/mcp");
            get.Headers.Accept.ParseAdd("text/event-stream");
            get.Headers.Add("Mcp-Session-Id", sessionId);
            return get;
        }

        using var first = Stream();
        using var open = await server.Client.SendAsync(first, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        open.StatusCode.ShouldBe(HttpStatusCode.OK);
        open.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");

        using var second = Stream();
        using var refused = await server.Client.SendAsync(second, TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Session_SurvivesAHostRestart_WithItsCurrentTaskSession()
    {
        using var folder = new TemporaryDirectory();
        string sessionId;
        string taskSession;
        await using (var first = await HttpTestServer.StartAsync(folder.Path))
        {
            sessionId = await first.InitializeAsync();
            var initialized = await CallToolAsync(first, sessionId, "orchestrator_initialize_session", new JsonObject { ["working_directory"] = folder.Path, ["session_name"] = "survives restart" });
            taskSession = initialized["session_id"]!.GetValue<string>();
        }

        var file = File.ReadAllText(Path.Combine(folder.Path, ".task-orchestrator", "http-sessions-0.json"));
        file.ShouldContain(sessionId);
        file.ShouldContain(taskSession);
        await using var second = await HttpTestServer.StartAsync(folder.Path);

        var status = await CallToolAsync(second, sessionId, "orchestrator_session_status", new JsonObject());

        status["progress"]!["session"]!["session_id"]!.GetValue<string>().ShouldBe(taskSession);
    }

    [Fact]
    public async Task Sessions_StillWork_WhenTheirFileCannotBeWritten()
    {
        using var folder = new TemporaryDirectory();
        var blocker = Path.Combine(folder.Path, "not-a-folder");
        File.WriteAllText(blocker, "a file where the session file's folder would be");
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:SessionFile"] = Path.Combine(blocker, "sessions.json") });

        var sessionId = await server.InitializeAsync();

        using var request = HttpTestServer.McpPost(ListTools, sessionId, "2025-06-18");
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        File.ReadAllText(blocker).ShouldBe("a file where the session file's folder would be");
    }

    [Fact]
    public async Task Session_IdleLongerThanTheTimeout_IsEndedAndAnswers404()
    {
        using var folder = new TemporaryDirectory();
        var time = new ManualTimeProvider();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:SessionIdleTimeout"] = "00:10:00" }, time);
        var sessions = server.App.Services.GetRequiredService<HttpSessionManager>();
        var sessionId = await server.InitializeAsync();

        time.Advance(TimeSpan.FromMinutes(9));
        (await sessions.SweepAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        using (var stillThere = HttpTestServer.McpPost(ListTools, sessionId))
        using (var response = await server.Client.SendAsync(stillThere, TestContext.Current.CancellationToken))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        time.Advance(TimeSpan.FromMinutes(10));
        (await sessions.SweepAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
        sessions.LiveCount.ShouldBe(0);
        using var expired = HttpTestServer.McpPost(ListTools, sessionId);
        using var gone = await server.Client.SendAsync(expired, TestContext.Current.CancellationToken);
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        File.ReadAllText(Path.Combine(folder.Path, ".task-orchestrator", "http-sessions-0.json")).ShouldNotContain(sessionId);
    }

    // A tools/call on the session; returns the structured content of a successful result.
    private static async Task<JsonNode> CallToolAsync(HttpTestServer server, string sessionId, string tool, JsonObject arguments)
    {
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments } };
        using var request = HttpTestServer.McpPost(body.ToJsonString(), sessionId, "2025-06-18");
        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var result = HttpTestServer.Message(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))["result"]!;
        result["isError"]?.GetValue<bool>().ShouldNotBe(true, result.ToJsonString());
        return result["structuredContent"]!;
    }
}
