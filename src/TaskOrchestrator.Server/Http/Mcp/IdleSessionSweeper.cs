using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TaskOrchestrator.Server.Http.Mcp;

/// <summary>
/// Runs <see cref="HttpSessionManager.SweepAsync"/> every <c>Http:SessionSweepInterval</c> on the
/// injected clock; at stop, closes the sessions while keeping their records for the next start. A
/// sweep that fails unexpectedly stops the server loudly rather than letting sessions pile up.
/// </summary>
internal sealed partial class IdleSessionSweeper : BackgroundService
{
    private readonly HttpSessionManager _sessions;
    private readonly HttpOptions _options;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<IdleSessionSweeper> _logger;

    public IdleSessionSweeper(HttpSessionManager sessions, IOptions<HttpOptions> options, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<IdleSessionSweeper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _sessions = sessions;
        _options = options.Value;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _sessions.DisposeAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.SessionSweepInterval, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await _sessions.SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogDied(_logger, ex);
            _lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The HTTP session sweep failed unexpectedly; stopping the server")]
    private static partial void LogDied(ILogger logger, Exception exception);
}
