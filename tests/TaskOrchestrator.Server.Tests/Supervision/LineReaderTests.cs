using System.Text;
using Shouldly;
using TaskOrchestrator.Server.Supervision;

namespace TaskOrchestrator.Server.Tests.Supervision;

/// <summary>The supervisor's line reader with a longest line: what it hands on and what it skips.</summary>
public sealed class LineReaderTests
{
    private const int MaxBytes = 128 * 1024;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALineLongerThanAllowed_IsSkippedToItsNewline_ItsStartAndLengthReported_AndTheLinesAroundItKept()
    {
        var longLine = "{\"id\":41," + new string('x', 300_000) + "}";
        var events = await ReadAsync($"first\n{longLine}\nlast\n");

        events.ShouldBe(["line first", $"overlong {longLine.Length} {longLine[..4096]}", "line last"]);
    }

    [Fact]
    public async Task ALineLongerThanAllowed_AtTheEndWithoutNewline_IsReported()
    {
        var longLine = new string('y', 200_000);
        var events = await ReadAsync($"first\n{longLine}");

        events.ShouldBe(["line first", $"overlong {longLine.Length} {longLine[..4096]}"]);
    }

    [Fact]
    public async Task ALineJustUnderTheLimit_IsHandedOnWhole_AndTheNextOneAfterIt()
    {
        var bigLine = new string('z', MaxBytes - 1);
        var events = await ReadAsync($"{bigLine}\nnext\n");

        events.ShouldBe([$"line {bigLine}", "line next"]);
    }

    private static async Task<List<string>> ReadAsync(string input)
    {
        var events = new List<string>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        var overlong = new OverlongLines(MaxBytes, (prefix, bytes) =>
        {
            events.Add($"overlong {bytes} {Encoding.UTF8.GetString(prefix.Span)}");
            return ValueTask.CompletedTask;
        });
        await LineReader.ReadAsync(
            stream,
            line =>
            {
                events.Add($"line {Encoding.UTF8.GetString(line.Span)}");
                return ValueTask.CompletedTask;
            },
            overlong,
            Token).WaitAsync(TimeSpan.FromSeconds(10), Token);
        return events;
    }
}
