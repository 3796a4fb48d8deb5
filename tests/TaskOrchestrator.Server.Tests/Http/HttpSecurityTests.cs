using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using TaskOrchestrator.Server.Http.Security;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Http;

public sealed class HttpSecurityTests
{
    private const string Token = "to_test-token-for-http-security";

    [Fact]
    public async Task Post_ForeignOrigin_Is403AndCreatesNoSession()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        using var request = HttpTestServer.McpPost(HttpTestServer.InitializeBody);
        request.Headers.Add("Origin", "http://evil.example.com");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var error = HttpTestServer.Message(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))["error"]!;
        error["data"]!["code"]!.GetValue<string>().ShouldBe("origin_not_allowed");
        error["message"]!.GetValue<string>().ShouldContain("http://evil.example.com");
        response.Headers.Contains("Mcp-Session-Id").ShouldBeFalse();
    }

    [Fact]
    public async Task Post_OwnLoopbackOrigin_IsServed()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        var port = new Uri(server.BaseUrl).Port;

        var sessionId = await server.InitializeAsync(r => r.Headers.Add("Origin", $"http://localhost:{port}"));

        sessionId.Length.ShouldBe(43);
    }

    [Fact]
    public async Task Preflight_FromAConfiguredOrigin_IsAnsweredWithoutToken_AndItsRequestsCarryCorsHeaders()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?>
        {
            ["Http:TokenHashes:0"] = TokenHash.Of(Token),
            ["Http:AllowedOrigins:0"] = "https://dashboard.example.com",
        });
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/mcp");
        preflight.Headers.Add("Origin", "https://dashboard.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var answered = await server.Client.SendAsync(preflight, TestContext.Current.CancellationToken);

        answered.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        answered.Headers.GetValues("Access-Control-Allow-Origin").Single().ShouldBe("https://dashboard.example.com");
        answered.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldContain("Mcp-Session-Id");
        var sessionId = await server.InitializeAsync(r =>
        {
            r.Headers.Add("Origin", "https://dashboard.example.com");
            r.Headers.Authorization = new("Bearer", Token);
        });
        sessionId.Length.ShouldBe(43);
    }

    [Fact]
    public async Task Get_ForeignHostHeader_Is403()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "evil.example.com";

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"code\":\"host_not_allowed\"");
    }

    [Fact]
    public async Task Request_WithoutOrWithWrongToken_Is401WithChallenge_RightTokenIs200()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:TokenHashes:0"] = TokenHash.Of(Token) });

        using var missing = await server.Client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        missing.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        missing.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"task-orchestrator\"");

        using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, "/health");
        wrongRequest.Headers.Authorization = new("Bearer", "to_not-the-token");
        using var wrong = await server.Client.SendAsync(wrongRequest, TestContext.Current.CancellationToken);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer realm=\"task-orchestrator\", error=\"invalid_token\"");
        var body = await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.ShouldNotContain("to_not-the-token");
        body.ShouldNotContain(TokenHash.Of(Token));

        var sessionId = await server.InitializeAsync(r => r.Headers.Authorization = new("Bearer", Token));
        sessionId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task AnonymousPaths_AreServedWithoutToken_ForGetOnly_AndStillCheckOrigin()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(
            folder.Path,
            new Dictionary<string, string?> { ["Http:TokenHashes:0"] = TokenHash.Of(Token) },
            services: s => s.Configure<AnonymousPaths>(p => p.AllowExact("/health")));

        using (var open = await server.Client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            open.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var ready = await server.Client.GetAsync(new Uri("/ready", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            ready.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var post = await server.Client.PostAsync(new Uri("/health", UriKind.Relative), new StringContent("{}"), TestContext.Current.CancellationToken))
        {
            post.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/health");
        foreign.Headers.Add("Origin", "http://evil.example.com");
        using var refused = await server.Client.SendAsync(foreign, TestContext.Current.CancellationToken);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_Is413()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "2048" });
        var padding = new string('x', 4096);
        using var request = HttpTestServer.McpPost("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"padding\":\"" + padding + "\"}}");

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("larger than the 2048 bytes allowed");
    }

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_Is413()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:MaxRequestBodyBytes"] = "2048" });
        using var request = HttpTestServer.McpPost("unused");
        request.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"p\":\"" + new string('y', 8192) + "\"}}")));
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Requests_OverTheRateLimit_Are429WithRetryAfter()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path, new Dictionary<string, string?> { ["Http:RateLimitRequests"] = "3", ["Http:RateLimitWindow"] = "01:00:00" });

        for (int i = 0; i < 3; i++)
        {
            using var ok = await server.Client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var limited = await server.Client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        (await limited.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"code\":\"rate_limited\"");
    }

    [Fact]
    public async Task Start_NonLoopbackBindWithoutTokens_RefusesToStart()
    {
        using var folder = new TemporaryDirectory();

        var error = await Should.ThrowAsync<OptionsValidationException>(async () =>
        {
            await using var app = HttpTestServer.Build(folder.Path, urls: "http://0.0.0.0:0");
            await app.StartAsync(TestContext.Current.CancellationToken);
        });

        error.Message.ShouldContain("'http://0.0.0.0:0', which other machines can reach, but no token is configured");
    }

    [Fact]
    public async Task ServeHttp_NonLoopbackBindWithoutTokens_ExitsWithCode2()
    {
        using var folder = new TemporaryDirectory();
        var parse = TaskOrchestrator.Server.Cli.CommandLine.Build().Parse(["serve", "--http", "--urls", "http://0.0.0.0:0", "--workspace", folder.Path, "--log-level", "error"]);

        var exit = await parse.InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

        exit.ShouldBe(2);
    }
}
