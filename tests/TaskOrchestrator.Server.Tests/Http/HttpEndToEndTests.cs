using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Shouldly;
using TaskOrchestrator.Server.Http.Security;
using TaskOrchestrator.Testing;
using static Microsoft.Playwright.Assertions;
using static TaskOrchestrator.Server.Tests.Http.DashboardBrowserTests;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>
/// Issue 5's "done when", end to end against the real process: <c>serve --http</c> with authentication on,
/// an MCP client (the SDK's Streamable HTTP client) planning and working a task tree, and the dashboard in a
/// real headless Chromium showing those tasks and moving them as the agent works. Every wait is on the
/// page's DOM or on an answer, never a fixed sleep.
/// </summary>
public sealed class HttpEndToEndTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServeHttp_McpClientPlansAndWorks_DashboardShowsTheTasksMovingLive()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), SkipReason);
        SetDefaultExpectTimeout(20_000);

        using var folder = new TemporaryDirectory("to-http-e2e");
        var token = "to_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var server = await HttpServerProcess.StartAsync(
            folder.Path,
            new Dictionary<string, string> { ["TASK_ORCHESTRATOR__Http__TokenHashes__0"] = TokenHash.Of(token) },
            Cancellation);
        var root = server.Address.ToString().TrimEnd('/');

        // The banner names the dashboard and the endpoint; the token itself is never printed.
        var banner = server.Stderr.Split('\n', StringSplitOptions.TrimEntries);
        banner.ShouldContain($"TaskOrchestrator dashboard: {root}/#token=<your token>");
        banner.ShouldContain($"MCP endpoint: {root}/mcp");
        banner.ShouldContain("Authentication: on (1 token hash(es)); clients send 'Authorization: Bearer <token>'.");
        server.Stderr.ShouldNotContain(token);

        // An agent connects over Streamable HTTP with its token and plans a tree with a dependency.
        await using var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Address, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "http-e2e", Version = "1.0" } }, cancellationToken: Cancellation);
        client.ServerInfo!.Name.ShouldBe("task-orchestrator");
        await CallAsync(client, "orchestrator_initialize_session", new { working_directory = folder.Path, session_name = "issue 5 end to end" });
        var plan = await CallAsync(client, "orchestrator_plan_task", new
        {
            title = "Ship the HTTP transport",
            description = "Planned over Streamable HTTP",
            subtasks = new object[]
            {
                new { key = "serve", title = "Serve MCP over HTTP", description = "POST, GET and DELETE on /mcp", specialist_type = "implementer" },
                new { key = "board", title = "Draw the live board", description = "Cards move as tasks change", specialist_type = "implementer", dependencies = new[] { "serve" } },
            },
        });
        var top = plan.GetProperty("task_id").GetString()!;
        var serve = plan.GetProperty("subtasks")[0].GetProperty("task_id").GetString()!;
        var board = plan.GetProperty("subtasks")[1].GetProperty("task_id").GetString()!;
        plan.GetProperty("subtasks")[1].GetProperty("depends_on").EnumerateArray().Select(d => d.GetString()).ShouldBe([serve]);

        // The dashboard opened at the printed URL, with the token in the fragment, shows the plan.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        var tab = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        var errors = CollectErrors(tab);
        await tab.GotoAsync($"{root}/#token={token}");
        await Expect(tab.Locator("#connection")).ToHaveTextAsync("Live");
        await Expect(Card(tab, "pending", top)).ToContainTextAsync("Ship the HTTP transport");
        await Expect(Card(tab, "pending", serve)).ToContainTextAsync("Serve MCP over HTTP");
        await Expect(Card(tab, "pending", board)).ToContainTextAsync("Draw the live board");
        await Expect(tab.Locator("#column-pending .count")).ToHaveTextAsync("3");
        await Expect(tab.Locator("#token-form")).ToBeHiddenAsync();
        tab.Url.ShouldNotContain(token);

        // The agent claims and works the ready task: the card moves without a reload.
        var execution = await CallAsync(client, "orchestrator_execute_task", new { task_id = serve, agent_id = "http-e2e-agent" });
        await Expect(Card(tab, "in_progress", serve)).ToBeVisibleAsync();
        await Expect(Card(tab, "pending", serve)).ToHaveCountAsync(0);
        await Expect(tab.Locator("#column-in_progress .count")).ToHaveTextAsync("1");
        var done = await CallAsync(client, "orchestrator_complete_task", new
        {
            task_id = serve,
            agent_id = "http-e2e-agent",
            lease_token = execution.GetProperty("lease").GetProperty("lease_token").GetString(),
            summary = "Endpoint served",
            detailed_work = "POST, GET and DELETE on /mcp with sessions and tokens",
            next_action = "continue",
        });
        done.GetProperty("task").GetProperty("status").GetString().ShouldBe("completed");
        await Expect(Card(tab, "completed", serve)).ToBeVisibleAsync();
        await Expect(Card(tab, "in_progress", serve)).ToHaveCountAsync(0);
        await Expect(tab.Locator("#column-pending .count")).ToHaveTextAsync("2");
        await Expect(tab.Locator("#activity li").First).ToContainTextAsync("status changed");

        // The dependent task's details show what it waited for, now satisfied.
        await Card(tab, "pending", board).ClickAsync();
        await Expect(tab.Locator("#details-title")).ToHaveTextAsync("Draw the live board");
        await Expect(tab.Locator("#details .deps").First).ToContainTextAsync("Serve MCP over HTTP");
        await Expect(tab.Locator("#details .deps").First).ToContainTextAsync("satisfied");
        await tab.Locator("#details-close").ClickAsync();
        await Expect(tab.Locator("#details")).ToBeHiddenAsync();
        await Expect(Card(tab, "completed", serve)).ToContainTextAsync("Serve MCP over HTTP");

        var screenshot = ScreenshotPath("dashboard-http-e2e.png");
        await tab.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"End-to-end dashboard screenshot: {screenshot}");
        File.Exists(screenshot).ShouldBeTrue();
        errors.ShouldBeEmpty();

        await client.DisposeAsync();
        (await server.StopAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue("serve --http stops on SIGTERM");
        server.ExitCode.ShouldBe(0, server.Stderr);
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, object arguments)
    {
        var parameters = new CallToolRequestParams
        {
            Name = tool,
            Arguments = JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
        };
        var result = await client.CallToolAsync(parameters, Cancellation);
        var content = result.StructuredContent ?? throw new InvalidOperationException($"{tool} returned no structured content.");
        (result.IsError ?? false).ShouldBeFalse($"{tool} failed: {content}");
        return content;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
