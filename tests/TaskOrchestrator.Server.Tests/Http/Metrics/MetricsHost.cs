using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Metrics.Slo;
using TaskOrchestrator.Server.Http.Metrics;
using TaskOrchestrator.Storage.Sqlite;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Http.Metrics;

/// <summary>
/// A Kestrel host on a free loopback port serving the orchestrator's MCP tools (to a real client over
/// in-memory pipes) and <c>GET /metrics</c>, built the way an HTTP host composes the extension methods.
/// </summary>
internal sealed class MetricsHost : IAsyncDisposable
{
    private readonly Pipe _clientToServer = new();
    private readonly Pipe _serverToClient = new();
    private readonly TemporaryDirectory _workspace = new("to-metrics");
    private WebApplication? _app;
    private McpClient? _client;

    public ManualTimeProvider Clock { get; } = new();

    public WebApplication App => _app ?? throw new InvalidOperationException("Not started.");

    public Uri BaseAddress { get; private set; } = null!;

    public string Workspace => _workspace.Path;

    public static async Task<MetricsHost> StartAsync(IDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        var host = new MetricsHost();
        try
        {
            await host.StartCoreAsync(settings ?? new Dictionary<string, string?>(), cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement?> CallAsync(string tool, object? arguments = null)
    {
        var parameters = new CallToolRequestParams
        {
            Name = tool,
            Arguments = arguments is null ? null : JsonSerializer.SerializeToElement(arguments).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
        };
        var result = await _client!.CallToolAsync(parameters, TestContext.Current.CancellationToken);
        return result.StructuredContent;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _clientToServer.Writer.Complete();
        _serverToClient.Writer.Complete();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _workspace.Dispose();
    }

    private async Task StartCoreAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            [$"{OrchestratorOptions.Section}:{nameof(OrchestratorOptions.Workspace)}"] = _workspace.Path,
        });
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddOptions<OrchestratorOptions>().BindConfiguration(OrchestratorOptions.Section);
        builder.Services.AddOptions<SloOptions>().BindConfiguration(SloOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IStoreProvider>(sp => new SqliteStoreProvider(new SqliteStoreOptions(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddOrchestratorServices();
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(_clientToServer.Reader.AsStream(), _serverToClient.Writer.AsStream())
            .WithOrchestratorTools();
        builder.Services.AddOrchestratorMetricsScrape();

        _app = builder.Build();
        _app.MapOrchestratorMetrics();
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseAddress = new Uri(address);
        _client = await McpClient.CreateAsync(
            new StreamClientTransport(_clientToServer.Writer.AsStream(), _serverToClient.Reader.AsStream()),
            new McpClientOptions { ClientInfo = new Implementation { Name = "metrics-tests", Version = "1.0" } },
            cancellationToken: cancellationToken);
    }
}
