using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serilog;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Logging;

namespace TaskOrchestrator.Server.Http;

/// <summary>
/// <c>serve --http</c>: one process serving MCP over Streamable HTTP until SIGTERM or SIGINT. On start it
/// prints (to stderr, like every log) the MCP URL and a client configuration to paste. Exit code 2 for
/// configuration that cannot or must not be served (such as a reachable address without a token).
/// </summary>
internal static class HttpServeCommand
{
    public static async Task<int> RunAsync(ServeSettings settings, string? urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (await StartupWorkspace.ResolveOrReportAsync(settings.Workspace, "task-orchestrator") is not { } workspace)
        {
            return 2;
        }

        var logFolder = settings.LogFile ? LogSetup.FolderFor(workspace) : null;
        await using var logger = LogSetup.Create(settings.LogLevel, logFolder);
        logger.Information("task-orchestrator {Version} serving MCP over HTTP; startup workspace {Workspace}; log folder {LogFolder}", BuildInfo.Version, workspace, logFolder ?? "(stderr only)");
        try
        {
            await using var app = HttpHost.Build(settings, logger, workspace, urls);
            await app.StartAsync(cancellationToken);
            await Console.Error.WriteLineAsync(Banner(app));
            await app.WaitForShutdownAsync(cancellationToken);
            logger.Information("task-orchestrator stopped");
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            logger.Fatal("Invalid configuration: {Failures}", string.Join("; ", ex.Failures));
            return 2;
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            logger.Fatal("Cannot listen: {Reason} Choose another port with --urls or Http:Urls.", ex.Message);
            return 2;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex)
        {
            logger.Fatal(ex, "task-orchestrator failed");
            return 1;
        }
    }

    /// <summary>What a user needs to connect: the URL, and a configuration for an MCP client.</summary>
    public static string Banner(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var http = app.Services.GetRequiredService<IOptions<HttpOptions>>().Value;
        var url = McpUrl(HttpHost.Addresses(app));
        var root = url[..^McpPaths.Endpoint.Length];
        var server = new JsonObject { ["type"] = "http", ["url"] = url };
        if (http.AuthenticationEnabled)
        {
            server["headers"] = new JsonObject { ["Authorization"] = "Bearer <your token>" };
        }

        var configuration = new JsonObject { ["mcpServers"] = new JsonObject { ["task-orchestrator"] = server } };
        var lines = new List<string>
        {
            string.Empty,
            $"TaskOrchestrator dashboard: {root}/{(http.AuthenticationEnabled ? "#token=<your token>" : string.Empty)}",
            $"MCP endpoint: {url}",
            $"Health: {root}{McpPaths.Health}   Readiness: {root}{McpPaths.Ready}   Metrics: {root}/metrics   REST API: {root}/api",
            http.AuthenticationEnabled
                ? string.Create(CultureInfo.InvariantCulture, $"Authentication: on ({http.TokenHashes.Count} token hash(es)); clients send 'Authorization: Bearer <token>'.")
                : "Authentication: off (loopback only).",
            "Client configuration (.mcp.json, Claude Desktop, Cursor, VS Code):",
            configuration.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }),
            http.AuthenticationEnabled
                ? $"Claude Code: claude mcp add --transport http task-orchestrator {url} --header \"Authorization: Bearer <your token>\""
                : $"Claude Code: claude mcp add --transport http task-orchestrator {url}",
            string.Empty,
        };
        return string.Join(Environment.NewLine, lines);
    }

    // A wildcard address is shown as loopback: the URL is meant to be pasted on this machine.
    private static string McpUrl(IReadOnlyList<string> addresses)
    {
        var first = addresses.FirstOrDefault(a => a.Contains("127.0.0.1", StringComparison.Ordinal)) ?? (addresses.Count > 0 ? addresses[0] : null) ?? $"http://127.0.0.1:{HttpOptions.DefaultPort}";
        var url = first.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal);
        return url.TrimEnd('/') + McpPaths.Endpoint;
    }
}
