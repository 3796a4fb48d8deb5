using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>Writes server log events to the output of the test running when they are logged.</summary>
internal sealed class TestOutputSink : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var output = TestContext.Current.TestOutputHelper;
        if (output is null)
        {
            return;
        }

        try
        {
            output.WriteLine($"[{logEvent.Level}] {logEvent.RenderMessage(CultureInfo.InvariantCulture)}{(logEvent.Exception is null ? string.Empty : Environment.NewLine + logEvent.Exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test already finished; its output is closed.
        }
    }
}
