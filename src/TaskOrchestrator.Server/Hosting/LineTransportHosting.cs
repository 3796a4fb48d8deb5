using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>Serves one MCP session over the process's stdin and stdout through <see cref="Utf8LineTransport"/>.</summary>
internal static class LineTransportHosting
{
    /// <summary>
    /// Registers the transport, the session's server and a hosted service that runs the session and
    /// stops the host when it ends (the client closed stdin), as the SDK's stdio registration does.
    /// </summary>
    public static IMcpServerBuilder WithUtf8StdioTransport(this IMcpServerBuilder mcp)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        mcp.Services.AddSingleton<ITransport>(services =>
            new Utf8LineTransport(Console.OpenStandardInput(), Console.OpenStandardOutput(), services.GetService<ILoggerFactory>()));
        mcp.Services.AddSingleton(services => McpServer.Create(
            services.GetRequiredService<ITransport>(),
            services.GetRequiredService<IOptions<McpServerOptions>>().Value,
            services.GetService<ILoggerFactory>(),
            services));
        mcp.Services.AddHostedService<SessionService>();
        return mcp;
    }

    private sealed class SessionService(McpServer session, IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await session.RunAsync(stoppingToken);
            }
            finally
            {
                lifetime.StopApplication();
            }
        }
    }
}
