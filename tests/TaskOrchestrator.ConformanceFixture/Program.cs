using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Server;
using Serilog.Events;
using TaskOrchestrator.Server.Hosting;
using TaskOrchestrator.Server.Http;
using TaskOrchestrator.Server.Logging;

namespace TaskOrchestrator.ConformanceFixture;

/// <summary>
/// <c>task-orchestrator-conformance-fixture --workspace DIR [--urls URL]</c>: serves the conformance
/// suite's fixture surface through the product's <see cref="HttpHost"/> and prints the endpoint the way
/// <c>serve --http</c> does, until SIGTERM or SIGINT.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        string? workspace = null;
        string urls = "http://127.0.0.1:0";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--workspace":
                    workspace = args[i + 1];
                    break;
                case "--urls":
                    urls = args[i + 1];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"conformance fixture: unknown option '{args[i]}'; allowed: --workspace DIR, --urls URL.");
                    return 2;
            }
        }

        if (workspace is null || !Directory.Exists(workspace))
        {
            await Console.Error.WriteLineAsync("conformance fixture: --workspace must name an existing folder.");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        await using var logger = LogSetup.Create(LogEventLevel.Warning, logFolder: null);
        await using var app = HttpHost.Build(
            new ServeSettings(workspace, null, LogEventLevel.Warning, LogFile: false),
            logger,
            workspace,
            urls,
            builder =>
            {
                builder.Services.PostConfigure<McpServerOptions>(FixtureSurface.Apply);
                builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, PostEndSignals>();
            });
        await app.StartAsync(stop.Token);
        await Console.Error.WriteLineAsync(HttpServeCommand.Banner(app));
        await app.WaitForShutdownAsync(stop.Token);
        return 0;
    }
}
