using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog;
using Serilog.Events;
using TaskOrchestrator.Mcp;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Testing;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>
/// An orchestrator host running in this process, joined to a real <see cref="McpClient"/> by two
/// in-memory pipes, over a real workspace folder (and so a real SQLite file). The clock is manual so
/// that tests can move time instead of waiting for it.
/// </summary>
internal sealed class OrchestratorServer : IAsyncDisposable
{
    private readonly Pipe _clientToServer = new();
    private readonly Pipe _serverToClient = new();
    private readonly IHost _host;
    private readonly Serilog.Core.Logger _logger;
    private readonly TemporaryDirectory? _ownedWorkspace;
    private McpClient? _client;

    private OrchestratorServer(string workspace, TemporaryDirectory? ownedWorkspace, ManualTimeProvider clock, Action<IServiceCollection>? configure)
    {
        Workspace = workspace;
        _ownedWorkspace = ownedWorkspace;
        Clock = clock;
        _logger = new LoggerConfiguration()
            .MinimumLevel.Warning()
            .WriteTo.Sink(new TestOutputSink())
            .CreateLogger();
        _host = OrchestratorHost.Build(
            new ServeSettings(workspace, ConfigFile: null, LogEventLevel.Warning, LogFile: false),
            _logger,
            mcp =>
            {
                mcp.WithStreamServerTransport(_clientToServer.Reader.AsStream(), _serverToClient.Writer.AsStream());

                // Registered after the host's TryAdd of the system clock, so this one wins everywhere.
                mcp.Services.AddSingleton<TimeProvider>(clock);
                mcp.Services.PostConfigure<OrchestratorOptions>(o => o.StartedAt = clock.GetUtcNow());

                // The background monitor would act on its own schedule (reclaiming work, writing events)
                // in the middle of tests that move the clock; the tests that want it run it themselves.
                mcp.Services.PostConfigure<HealthOptions>(o => o.MonitorEnabled = false);
                configure?.Invoke(mcp.Services);
            });
    }

    /// <summary>The workspace folder (canonical), passed as --workspace.</summary>
    public string Workspace { get; }

    /// <summary>The host's services, for tests that read what the server measured.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The server's clock.</summary>
    public ManualTimeProvider Clock { get; }

    /// <summary>The connected client.</summary>
    public McpClient Client => _client ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>The workspace database file.</summary>
    public string DatabasePath => Path.Combine(Workspace, ".task-orchestrator", "orchestrator.db");

    /// <summary>Starts a server over a fresh temporary workspace that is deleted with the server.</summary>
    public static Task<OrchestratorServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var folder = new TemporaryDirectory("to-mcp");
        return StartAsync(folder.Path, folder, null, cancellationToken);
    }

    /// <summary>Starts a server over a fresh temporary workspace with extra service configuration (options, say).</summary>
    public static Task<OrchestratorServer> StartAsync(Action<IServiceCollection> configure, CancellationToken cancellationToken = default)
    {
        var folder = new TemporaryDirectory("to-mcp");
        return StartAsync(folder.Path, folder, configure, cancellationToken);
    }

    /// <summary>Starts a server over an existing workspace folder the caller owns.</summary>
    public static Task<OrchestratorServer> StartAsync(string workspace, CancellationToken cancellationToken = default) =>
        StartAsync(workspace, null, null, cancellationToken);

    private static async Task<OrchestratorServer> StartAsync(string workspace, TemporaryDirectory? owned, Action<IServiceCollection>? configure, CancellationToken cancellationToken)
    {
        var server = new OrchestratorServer(workspace, owned, new ManualTimeProvider(), configure);
        try
        {
            await server._host.StartAsync(cancellationToken);
            server._client = await McpClient.CreateAsync(
                new StreamClientTransport(server._clientToServer.Writer.AsStream(), server._serverToClient.Reader.AsStream()),
                new McpClientOptions { ClientInfo = new Implementation { Name = "mcp-tests", Version = "1.0" } },
                cancellationToken: cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Calls a tool with arguments given as an object (serialized as is) or as JSON text.</summary>
    public async Task<ToolAnswer> CallAsync(string tool, object? arguments = null)
    {
        var parameters = new CallToolRequestParams { Name = tool, Arguments = Arguments(arguments) };
        var result = await Client.CallToolAsync(parameters, TestContext.Current.CancellationToken);
        return ToolAnswer.From(tool, result);
    }

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonElement> OkAsync(string tool, object? arguments = null) =>
        (await CallAsync(tool, arguments)).Ok();

    /// <summary>Calls a tool that must fail and returns the <c>error</c> object of its structured content.</summary>
    public async Task<JsonElement> ErrorAsync(string tool, object? arguments = null) =>
        (await CallAsync(tool, arguments)).Error();

    /// <summary>A snapshot of the workspace database, to prove a call changed nothing.</summary>
    public StoreSnapshot Snapshot() => StoreSnapshot.Take(DatabasePath);

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _clientToServer.Writer.Complete();
        _serverToClient.Writer.Complete();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await _host.StopAsync(stop.Token);
        }

        if (_host is IAsyncDisposable asyncHost)
        {
            await asyncHost.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        await _logger.DisposeAsync();
        _ownedWorkspace?.Dispose();
    }

    private static Dictionary<string, JsonElement>? Arguments(object? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        var element = arguments switch
        {
            string json => JsonDocument.Parse(json).RootElement.Clone(),
            JsonElement e => e,
            _ => JsonSerializer.SerializeToElement(arguments),
        };
        return element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }
}
