using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Planning;
using TaskOrchestrator.Mcp.Metrics;
using static Microsoft.Playwright.Assertions;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's package, driven by Playwright): it loads, shows
/// the workspace's tasks, moves a card when its task changes, shows a task's dependency tree, sends the
/// token it was given, and logs no console error. Every wait is on the page's DOM, never a fixed sleep.
/// </summary>
public sealed class DashboardBrowserTests
{
    // Debian's chromium package; TASK_ORCHESTRATOR_CHROMIUM points elsewhere on other systems.
    internal static readonly string ChromiumPath = Environment.GetEnvironmentVariable("TASK_ORCHESTRATOR_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
    private const string Token = "dashboard-test-token";

    internal static string SkipReason => $"Chromium is not installed at {ChromiumPath}; install Debian's package (apt-get install -y chromium) or set TASK_ORCHESTRATOR_CHROMIUM to run the dashboard in a real browser.";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_ShowsTasksAndMovesThemLive_WithoutConsoleErrors()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), SkipReason);
        SetDefaultExpectTimeout(20_000);

        await using var host = await WebApiHost.StartAsync(Cancellation);
        var plan = await host.PlanAsync(new TaskSpec
        {
            Title = "Ship the dashboard",
            Type = TaskType.Milestone,
            Subtasks =
            [
                new TaskSpec { Key = "api", Title = "Build the REST API", Type = TaskType.Implementation, Priority = TaskPriority.High },
                new TaskSpec { Key = "page", Title = "Draw the board", Type = TaskType.Implementation, Dependencies = ["api"] },
            ],
        });
        var root = plan.Root.Task.Id;
        var api = plan.Subtasks[0].Task.Id;
        var page = plan.Subtasks[1].Task.Id;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers run tests as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
        var tab = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        var errors = CollectErrors(tab);
        var authorizations = new ConcurrentQueue<string>();
        tab.Request += (_, request) =>
        {
            if (new Uri(request.Url).AbsolutePath.StartsWith("/api", StringComparison.Ordinal))
            {
                authorizations.Enqueue(request.Headers.TryGetValue("authorization", out var value) ? value : "(none)");
            }
        };

        await tab.GotoAsync(new Uri(host.Address, "#token=" + Token).ToString());

        // Loaded and live: every task in its column, the workspace named, the stream open.
        await Expect(tab.Locator("#connection")).ToHaveTextAsync("Live");
        await Expect(tab.Locator("#workspace")).ToHaveTextAsync(host.Workspace);
        await Expect(Card(tab, "pending", root)).ToBeVisibleAsync();
        await Expect(Card(tab, "pending", api)).ToContainTextAsync("Build the REST API");
        await Expect(Card(tab, "pending", page)).ToBeVisibleAsync();
        await Expect(tab.Locator("#column-pending .count")).ToHaveTextAsync("3");
        tab.Url.ShouldNotContain(Token);
        await Expect(tab.Locator("#token-form")).ToBeHiddenAsync();
        await Expect(tab.Locator("#notice")).ToBeHiddenAsync();

        // A task changes in the store: its card moves without a reload.
        await host.StartTaskAsync(api);
        await Expect(Card(tab, "in_progress", api)).ToBeVisibleAsync();
        await Expect(Card(tab, "pending", api)).ToHaveCountAsync(0);
        await Expect(tab.Locator("#column-in_progress .count")).ToHaveTextAsync("1");
        await host.CompleteTaskAsync(api, "API done", "Endpoints and the event stream.");
        await Expect(Card(tab, "completed", api)).ToBeVisibleAsync();
        await Expect(tab.Locator("#column-pending .count")).ToHaveTextAsync("2");
        await Expect(tab.Locator("#activity li").First).ToContainTextAsync("status changed");

        // The task's details: its place in the tree and what it waits for.
        await Card(tab, "pending", page).ClickAsync();
        var details = tab.Locator("#details");
        await Expect(details).ToBeVisibleAsync();
        await Expect(tab.Locator("#details-title")).ToHaveTextAsync("Draw the board");
        await Expect(details.Locator(".tree")).ToContainTextAsync("Ship the dashboard");
        await Expect(details.Locator(".deps").First).ToContainTextAsync("Build the REST API");
        await Expect(details.Locator(".deps").First).ToContainTextAsync("satisfied");
        await details.Locator(".tree button.link", new LocatorLocatorOptions { HasText = "Ship the dashboard" }).ClickAsync();
        await Expect(tab.Locator("#details-title")).ToHaveTextAsync("Ship the dashboard");
        await Expect(details.Locator(".tree")).ToContainTextAsync("Draw the board");
        await tab.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("dashboard-details.png") });

        // A change to the task shown updates the open dialog too.
        await host.SetStatusAsync(root, TaskItemStatus.Blocked, "waiting for design review");
        await Expect(details.Locator(".fields")).ToContainTextAsync("waiting for design review");
        await tab.Locator("#details-close").ClickAsync();
        await Expect(details).ToBeHiddenAsync();
        await Expect(Card(tab, "blocked", root)).ToBeVisibleAsync();

        // The panels: health checks, agents, restart history, service levels (no tool calls here).
        await Expect(tab.Locator("#health [data-check='write_probe']")).ToBeVisibleAsync();
        await Expect(tab.Locator("#agents")).ToContainTextAsync("No agents yet");
        await Expect(tab.Locator("#restarts")).ToContainTextAsync("No restart recorded.");
        await Expect(tab.Locator("#slo [data-slo='available']")).ToHaveTextAsync("No tool calls in the SLO window yet.");

        var screenshot = ScreenshotPath("dashboard.png");
        await tab.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"Dashboard screenshot: {screenshot}");
        File.Exists(screenshot).ShouldBeTrue();

        authorizations.ShouldNotBeEmpty();
        authorizations.ShouldAllBe(value => value == "Bearer " + Token);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_ShowsEachToolsSloAgainstItsObjectives()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), SkipReason);
        SetDefaultExpectTimeout(20_000);

        await using var host = await WebApiHost.StartAsync(Cancellation);

        // Tool calls recorded as the MCP call filter records them: three served reads and one server failure
        // of one tool, two served reads of another.
        var metrics = host.Services.GetRequiredService<ToolCallMetrics>();
        for (int i = 0; i < 3; i++)
        {
            metrics.Record("orchestrator_query_tasks", readOnly: true, TimeSpan.FromMilliseconds(4), ToolOutcome.Success);
        }

        metrics.Record("orchestrator_query_tasks", readOnly: true, TimeSpan.FromMilliseconds(4), ToolOutcome.ServerError);
        metrics.Record("orchestrator_get_status", readOnly: true, TimeSpan.FromMilliseconds(3), ToolOutcome.Success);
        metrics.Record("orchestrator_get_status", readOnly: true, TimeSpan.FromMilliseconds(3), ToolOutcome.Success);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        var tab = await browser.NewPageAsync();
        var errors = CollectErrors(tab);

        await tab.GotoAsync(host.Address.ToString());

        var failing = tab.Locator("#slo tr[data-tool='orchestrator_query_tasks']");
        await Expect(failing).ToContainTextAsync("75.0 % of 99.9 % (3/4)");
        await Expect(failing).ToContainTextAsync("overspent");
        await Expect(failing).ToContainTextAsync("250.00×");
        await Expect(failing).ToContainTextAsync("100.0 % of 99.0 % (3/3)");
        await Expect(failing).ToContainTextAsync("missed");
        var meeting = tab.Locator("#slo tr[data-tool='orchestrator_get_status']");
        await Expect(meeting).ToContainTextAsync("100.0 % of 99.9 % (2/2)");
        await Expect(meeting).ToContainTextAsync("met");
        await Expect(meeting.Locator("meter")).ToHaveAttributeAsync("value", "1");
        await Expect(tab.Locator("#slo")).ToContainTextAsync("Window: the last 60 minutes.");
        var screenshot = ScreenshotPath("dashboard-slo.png");
        await tab.Locator("#slo").ScreenshotAsync(new LocatorScreenshotOptions { Path = screenshot });
        TestContext.Current.TestOutputHelper?.WriteLine($"Service-level screenshot: {screenshot}");
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_WithAuthenticationOn_AsksForTheTokenThenWorksWithIt()
    {
        Assert.SkipUnless(File.Exists(ChromiumPath), SkipReason);
        SetDefaultExpectTimeout(20_000);

        // Stands in for the HTTP host's authentication: /api needs the bearer token, the page does not.
        await using var host = await WebApiHost.StartAsync(Cancellation, app => app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && context.Request.Headers.Authorization != "Bearer " + Token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            await next(context);
        }));
        var task = (await host.PlanAsync(new TaskSpec { Title = "Behind a token" })).Root.Task.Id;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"] });
        var tab = await browser.NewPageAsync();
        var errors = CollectErrors(tab);

        await tab.GotoAsync(host.Address.ToString());
        await Expect(tab.Locator("#connection")).ToHaveTextAsync("Token needed");
        await Expect(tab.Locator("#notice")).ToContainTextAsync("requires an access token");
        await Expect(Card(tab, "pending", task)).ToHaveCountAsync(0);

        await tab.GetByLabel("Bearer token for this server").FillAsync(Token);
        await tab.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use token" }).ClickAsync();
        await Expect(tab.Locator("#connection")).ToHaveTextAsync("Live");
        await Expect(Card(tab, "pending", task)).ToBeVisibleAsync();
        await Expect(tab.Locator("#token-form")).ToBeHiddenAsync();

        // The stream runs with the token too: a change still moves the card.
        await host.StartTaskAsync(task);
        await Expect(Card(tab, "in_progress", task)).ToBeVisibleAsync();

        // The only errors are the browser's own reports of the refused requests before the token was given.
        errors.ShouldNotBeEmpty();
        errors.ShouldAllBe(e => e.Contains("401", StringComparison.Ordinal));
    }

    /// <summary>Collects the page's console errors and warnings and its uncaught errors.</summary>
    internal static ConcurrentQueue<string> CollectErrors(IPage tab)
    {
        var errors = new ConcurrentQueue<string>();
        tab.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        tab.PageError += (_, error) => errors.Enqueue("page error: " + error);
        return errors;
    }

    internal static ILocator Card(IPage tab, string status, string taskId) =>
        tab.Locator($"section.column[data-status='{status}'] .card[data-task-id='{taskId}']");

    /// <summary>TestResults/ at the repository root (where scripts/test.sh collects results), else beside the test assembly.</summary>
    internal static string ScreenshotPath(string name)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "TaskOrchestrator.slnx")))
        {
            folder = folder.Parent;
        }

        var results = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        return Path.Combine(results, name);
    }
}
