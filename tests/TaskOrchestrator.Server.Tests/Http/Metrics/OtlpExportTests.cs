using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shouldly;
using TaskOrchestrator.Server.Http.Metrics;

namespace TaskOrchestrator.Server.Tests.Http.Metrics;

/// <summary>OTLP export to a real HTTP receiver standing in for a collector.</summary>
public sealed class OtlpExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Flush_EndpointConfigured_PostsTheMeterAsOtlpProtobuf()
    {
        var received = new List<(string? ContentType, byte[] Body)>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.Logging.ClearProviders();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            lock (received)
            {
                received.Add((request.ContentType, body.ToArray()));
            }

            return Results.Ok();
        });
        await receiver.StartAsync(Ct);
        var collector = receiver.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        await using var host = await MetricsHost.StartAsync(new Dictionary<string, string?> { ["Metrics:Otlp:Endpoint"] = $"{collector}/v1/metrics" }, Ct);
        await host.CallAsync("orchestrator_plan_task", new { title = "Exported" });
        var exporter = host.App.Services.GetRequiredService<OtlpMetricsExporter>();

        exporter.Enabled.ShouldBeTrue();
        exporter.Flush(TimeSpan.FromSeconds(30)).ShouldBeTrue();

        (string? ContentType, byte[] Body) export;
        lock (received)
        {
            export = received.ShouldHaveSingleItem();
        }

        export.ContentType.ShouldBe("application/x-protobuf");
        var body = Encoding.UTF8.GetString(export.Body);
        body.ShouldContain("orchestrator.tool.calls");
        body.ShouldContain("orchestrator.tool.duration");
        body.ShouldContain("orchestrator_plan_task");
        body.ShouldContain("task-orchestrator");
        await receiver.StopAsync(Ct);
    }

    [Fact]
    public async Task Exporter_NoEndpoint_IsOff()
    {
        await using var host = await MetricsHost.StartAsync(null, Ct);

        var exporter = host.App.Services.GetRequiredService<OtlpMetricsExporter>();

        exporter.Enabled.ShouldBeFalse();
        exporter.Flush(TimeSpan.FromSeconds(1)).ShouldBeFalse();
    }

    [Fact]
    public void Validate_BadEndpointProtocolAndInterval_EachRefusedByName()
    {
        var options = new MetricsOptions { StoreRefreshInterval = TimeSpan.Zero };
        options.Otlp.Endpoint = "collector:4318";
        options.Otlp.Protocol = "http/json";
        options.Otlp.ExportInterval = TimeSpan.FromSeconds(5);

        var result = new MetricsOptionsValidator().Validate(Options.DefaultName, options);

        result.Failures.ShouldBe(
        [
            "Metrics:StoreRefreshInterval is 00:00:00; it must be at least 00:00:01, for example 00:00:15.",
            "Metrics:Otlp:Endpoint is 'collector:4318'; it must be an absolute http or https URL such as http://127.0.0.1:4318/v1/metrics, or unset to export nothing.",
            "Metrics:Otlp:Protocol is 'http/json'; allowed: http/protobuf, grpc.",
            "Metrics:Otlp:Timeout is 00:00:10; it must be positive and not longer than Metrics:Otlp:ExportInterval (00:00:05).",
        ]);
    }
}
