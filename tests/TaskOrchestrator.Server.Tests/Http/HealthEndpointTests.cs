using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using TaskOrchestrator.Mcp.Operations.Lifecycle;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Http;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_IsAliveWithIdentity()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);

        using var response = await server.Client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        body["status"]!.GetValue<string>().ShouldBe("alive");
        body["instance_id"]!.GetValue<string>().ShouldStartWith("inst_");
        body["version"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Ready_OnceStarted_IsReadyAndSaysTheMonitorIsOff()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);

        using var response = await server.Client.GetAsync(new Uri("/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        body["status"]!.GetValue<string>().ShouldBe("ready");
        body["health"]!.GetValue<string>().ShouldBe("monitor_disabled");
        body["reasons"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Ready_WhileShuttingDown_Is503WithTheReason()
    {
        using var folder = new TemporaryDirectory();
        await using var server = await HttpTestServer.StartAsync(folder.Path);
        server.App.Services.GetRequiredService<WorkerLifecycle>().BeginShutdown().ShouldBeTrue();

        using var response = await server.Client.GetAsync(new Uri("/ready", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        body["status"]!.GetValue<string>().ShouldBe("not_ready");
        body["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["The server is shutting down."]);
    }
}
