using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Mcp.Operations.Health;

namespace TaskOrchestrator.Server.Operations;

/// <summary>
/// The optional alert hooks of the health monitor: a shell command and a webhook, each given every
/// transition as JSON. A hook that fails or times out is logged; it never stops the monitor.
/// </summary>
internal sealed partial class AlertHooks : IDisposable
{
    private readonly HealthOptions _options;
    private readonly ILogger<AlertHooks> _logger;
    private readonly HttpClient _http = new();

    public AlertHooks(IOptions<HealthOptions> options, ILogger<AlertHooks> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs the alert command and posts to the webhook, whichever are configured.</summary>
    public async Task RaiseAsync(HealthTransition transition, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(transition, OperationsJson.Default.HealthTransition);
        if (!string.IsNullOrWhiteSpace(_options.AlertCommand))
        {
            await RunCommandAsync(_options.AlertCommand, transition, json, cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(_options.WebhookUrl))
        {
            await PostAsync(new Uri(_options.WebhookUrl), json, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task RunCommandAsync(string command, HealthTransition transition, string json, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["TASK_ORCHESTRATOR_ALERT_JSON"] = json;
        start.Environment["TASK_ORCHESTRATOR_ALERT_CHECK"] = transition.Check;
        start.Environment["TASK_ORCHESTRATOR_ALERT_FROM"] = WireNames.Of(transition.From);
        start.Environment["TASK_ORCHESTRATOR_ALERT_TO"] = WireNames.Of(transition.To);
        start.Environment["TASK_ORCHESTRATOR_ALERT_MESSAGE"] = transition.Message;
        start.Environment["TASK_ORCHESTRATOR_ALERT_WORKSPACE"] = transition.Workspace ?? string.Empty;
        start.Environment["TASK_ORCHESTRATOR_ALERT_INSTANCE_ID"] = transition.InstanceId;
        start.Environment["TASK_ORCHESTRATOR_ALERT_AT"] = transition.At.ToString("O", CultureInfo.InvariantCulture);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.AlertCommandTimeout);
        Process? process = null;
        try
        {
            process = Process.Start(start)!;

            // Its output is the command's own business; it must never reach the protocol's stdout.
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(json.AsMemory(), timeout.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command did not read its stdin; the environment still carries the JSON.
            }

            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(stdout, stderr);
            if (process.ExitCode != 0)
            {
                LogCommandFailed(_logger, command, process.ExitCode, Trim(await stderr));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogCommandTimedOut(_logger, command, _options.AlertCommandTimeout.TotalSeconds);
            process?.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            LogCommandNotRun(_logger, command, ex);
        }
        finally
        {
            process?.Dispose();
        }
    }

    private async Task PostAsync(Uri url, string json, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.WebhookTimeout);
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(url, content, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogWebhookRefused(_logger, url, (int)response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogWebhookTimedOut(_logger, url, _options.WebhookTimeout.TotalSeconds);
        }
        catch (HttpRequestException ex)
        {
            LogWebhookFailed(_logger, url, ex.Message);
        }
    }

    private static string Trim(string text) => text.Length <= 500 ? text.Trim() : text[..500].Trim() + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert command '{Command}' exited with {ExitCode}: {Stderr}")]
    private static partial void LogCommandFailed(ILogger logger, string command, int exitCode, string stderr);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert command '{Command}' ran longer than {Seconds} s and was killed")]
    private static partial void LogCommandTimedOut(ILogger logger, string command, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert command '{Command}' could not be run")]
    private static partial void LogCommandNotRun(ILogger logger, string command, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} answered HTTP {Status}")]
    private static partial void LogWebhookRefused(ILogger logger, Uri url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} did not answer within {Seconds} s")]
    private static partial void LogWebhookTimedOut(ILogger logger, Uri url, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert webhook {Url} failed: {Reason}")]
    private static partial void LogWebhookFailed(ILogger logger, Uri url, string reason);
}
