using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Events;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Http;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Server.Tests.Http;

/// <summary>The real HTTP host on 127.0.0.1 with a free port, over real sockets, on a workspace folder.</summary>
internal sealed class HttpTestServer : IAsyncDisposable
{
    public const string InitializeBody = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"http-tests","version":"1.0"}}}""";

    private HttpTestServer(WebApplication app, string workspace)
    {
        App = app;
        Workspace = workspace;
        BaseUrl = HttpHost.Addresses(app)[0].TrimEnd('/');
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public WebApplication App { get; }

    public string Workspace { get; }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public static async Task<HttpTestServer> StartAsync(string workspace, IDictionary<string, string?>? settings = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        var app = Build(workspace, settings, time, services: services);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new HttpTestServer(app, workspace);
    }

    public static WebApplication Build(string workspace, IDictionary<string, string?>? settings = null, TimeProvider? time = null, string urls = "http://127.0.0.1:0", Action<IServiceCollection>? services = null) =>
        HttpHost.Build(
            new ServeSettings(workspace, null, LogEventLevel.Warning, LogFile: false),
            Serilog.Core.Logger.None,
            workspace,
            urls,
            builder =>
            {
                // Tests run without the monitor's timer, and with whatever settings they name.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Health:MonitorEnabled"] = "false" });
                if (settings is not null)
                {
                    builder.Configuration.AddInMemoryCollection(settings);
                }

                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }

                services?.Invoke(builder.Services);
            });

    /// <summary>A POST to /mcp with the headers a conforming client sends.</summary>
    public static HttpRequestMessage McpPost(string body, string? sessionId = null, string? protocolVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        return request;
    }

    /// <summary>Initializes a session and returns its id.</summary>
    public async Task<string> InitializeAsync(Action<HttpRequestMessage>? decorate = null)
    {
        using var request = McpPost(InitializeBody);
        decorate?.Invoke(request);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"initialize answered {(int)response.StatusCode}: {text}");
        }

        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    /// <summary>The JSON-RPC message of an SSE response (its last data line) or of a JSON one.</summary>
    public static JsonNode Message(string body)
    {
        var data = body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).LastOrDefault(l => l.Length > 0);
        return JsonNode.Parse(data ?? body)!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
