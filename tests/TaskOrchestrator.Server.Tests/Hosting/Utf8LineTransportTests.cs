using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Shouldly;
using TaskOrchestrator.Server.Hosting;

namespace TaskOrchestrator.Server.Tests.Hosting;

/// <summary>The worker's stdio transport: framing, parse errors, sending and shutdown, on in-memory pipes.</summary>
public sealed class Utf8LineTransportTests : IAsyncDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);
    private readonly Pipe _clientToServer = new(new PipeOptions(pauseWriterThreshold: 0));
    private readonly Pipe _serverToClient = new(new PipeOptions(pauseWriterThreshold: 0));
    private int _maxLineBytes = Utf8LineTransport.DefaultMaxLineBytes;
    private Utf8LineTransport? _transport;

    // Started at first use, so that a test can set the longest line first.
    private Utf8LineTransport Transport => _transport ??= new Utf8LineTransport(_clientToServer.Reader.AsStream(), _serverToClient.Writer.AsStream(), maxLineBytes: _maxLineBytes);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALineWrittenInSmallPieces_ArrivesAsOneMessageWithEveryByte()
    {
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"é{i % 10}"));
        var message = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 41,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = "orchestrator_plan_task", ["arguments"] = new JsonObject { ["title"] = text } },
        };
        var line = Encoding.UTF8.GetBytes(message.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

        // 3,001-byte pieces split the line, and some of its two-byte characters, at arbitrary points.
        for (int offset = 0; offset < line.Length; offset += 3_001)
        {
            await _clientToServer.Writer.WriteAsync(line.AsMemory(offset, Math.Min(3_001, line.Length - offset)), Token);
        }

        var request = (await ReceiveAsync()).ShouldBeOfType<JsonRpcRequest>();
        request.Id.ShouldBe(new RequestId(41));
        request.Params!["arguments"]!["title"]!.GetValue<string>().ShouldBe(text);
    }

    [Fact]
    public async Task OneWrite_WithByteOrderMarkCrLfAndBlankLines_DeliversEachMessageInOrder()
    {
        await WriteAsync("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n\n   \r\n\t\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"ping\"}\n");

        (await ReceiveAsync()).ShouldBeOfType<JsonRpcRequest>().Id.ShouldBe(new RequestId(1));
        (await ReceiveAsync()).ShouldBeOfType<JsonRpcNotification>().Method.ShouldBe("notifications/initialized");
        (await ReceiveAsync()).ShouldBeOfType<JsonRpcRequest>().Id.ShouldBe(new RequestId("b"));
    }

    [Fact]
    public async Task AByteOrderMarkSplitAcrossReads_IsStillSkipped()
    {
        var line = Encoding.UTF8.GetBytes("\uFEFF{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}\n");
        await _clientToServer.Writer.WriteAsync(line.AsMemory(0, 1), Token);
        await Task.Delay(50, Token); // lets the transport read the first byte on its own
        await _clientToServer.Writer.WriteAsync(line.AsMemory(1), Token);

        (await ReceiveAsync()).ShouldBeOfType<JsonRpcRequest>().Id.ShouldBe(new RequestId(5));
    }

    [Fact]
    public async Task UnreadableLines_WithAnId_AreAnsweredWithAParseErrorAndReadingGoesOn()
    {
        await WriteAsync("garbage\n{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"\n{\"jsonrpc\":\"2.0\",\"id\":\"x9\"}\n{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"ping\"}\n");

        (await ReceiveAsync()).ShouldBeOfType<JsonRpcRequest>().Id.ShouldBe(new RequestId(8));
        var first = await ReadSentLineAsync();
        var second = await ReadSentLineAsync();
        first["id"]!.GetValue<int>().ShouldBe(7);
        first["error"]!["code"]!.GetValue<int>().ShouldBe((int)McpErrorCode.ParseError);
        first["error"]!["message"]!.GetValue<string>().ShouldStartWith("The request is not a valid JSON-RPC message: ");
        second["id"]!.GetValue<string>().ShouldBe("x9");
        second["error"]!["code"]!.GetValue<int>().ShouldBe((int)McpErrorCode.ParseError);
    }

    [Fact]
    public async Task ALineLongerThanAllowed_IsSkippedAndAnsweredWithItsId_AndTheNextLineIsRead()
    {
        _maxLineBytes = 8 * 1024;
        var title = new string('x', 100_000);
        var big = $"{{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\",\"params\":{{\"name\":\"orchestrator_plan_task\",\"arguments\":{{\"title\":\"{title}\"}}}}}}";
        await WriteAsync(big + "\n{\"jsonrpc\":\"2.0\",\"id\":78,\"method\":\"ping\"}\n");

        (await Transport.MessageReader.ReadAsync(Token).AsTask().WaitAsync(Bounded, Token)).ShouldBeOfType<JsonRpcRequest>().Id.ShouldBe(new RequestId(78));
        var refusal = await ReadSentLineAsync();
        refusal["id"]!.GetValue<int>().ShouldBe(77);
        refusal["error"]!["code"]!.GetValue<int>().ShouldBe((int)McpErrorCode.InvalidRequest);
        refusal["error"]!["message"]!.GetValue<string>().ShouldStartWith($"The request is a line of {big.Length} bytes; a line may hold at most 8192 bytes");
        Transport.MessageReader.TryRead(out _).ShouldBeFalse();
    }

    [Fact]
    public async Task EndOfInput_DeliversALastLineWithoutNewlineThenDisconnects()
    {
        await WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}");
        await _clientToServer.Writer.CompleteAsync();

        (await ReceiveAsync()).ShouldBeOfType<JsonRpcRequest>().Id.ShouldBe(new RequestId(3));
        (await Transport.MessageReader.WaitToReadAsync(Token).AsTask().WaitAsync(Bounded, Token)).ShouldBeFalse();
        Transport.IsConnected.ShouldBeFalse();
    }

    [Fact]
    public async Task SendMessage_WritesTheSdksJsonOnOneLine_EscapingOnlyWhatJsonRequires_ForABigMessageAndTheSmallOneAfterIt()
    {
        var big = new JsonRpcResponse { Id = new RequestId(1), Result = new JsonObject { ["text"] = new string('+', 1_500_000) } };
        var small = new JsonRpcNotification { Method = "notifications/message", Params = new JsonObject { ["level"] = "info", ["data"] = "<it's \"done\">\n" } };
        var relaxed = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        await Transport.SendMessageAsync(big, Token);
        await Transport.SendMessageAsync(small, Token);

        (await ReadSentRawLineAsync()).ShouldBe(JsonSerializer.Serialize<JsonRpcMessage>(big, relaxed));
        var smallLine = await ReadSentRawLineAsync();
        smallLine.ShouldBe(JsonSerializer.Serialize<JsonRpcMessage>(small, relaxed));
        smallLine.ShouldContain("\"data\":\"<it's \\\"done\\\">\\n\"");
    }

    [Fact]
    public async Task Dispose_WhileTheClientSendsNothing_EndsTheReadAndDisconnects()
    {
        await Transport.DisposeAsync().AsTask().WaitAsync(Bounded, Token);

        Transport.IsConnected.ShouldBeFalse();
        (await Transport.MessageReader.WaitToReadAsync(Token).AsTask().WaitAsync(Bounded, Token)).ShouldBeFalse();
    }

    public async ValueTask DisposeAsync()
    {
        if (_transport is not null)
        {
            await _transport.DisposeAsync();
        }
    }

    private async Task WriteAsync(string text) => await _clientToServer.Writer.WriteAsync(Encoding.UTF8.GetBytes(text), Token);

    private async Task<JsonRpcMessage> ReceiveAsync() => await Transport.MessageReader.ReadAsync(Token).AsTask().WaitAsync(Bounded, Token);

    private async Task<JsonNode> ReadSentLineAsync() => JsonNode.Parse(await ReadSentRawLineAsync())!;

    private async Task<string> ReadSentRawLineAsync()
    {
        while (true)
        {
            var read = await _serverToClient.Reader.ReadAsync(Token).AsTask().WaitAsync(Bounded, Token);
            var buffer = read.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } newline)
            {
                var line = Encoding.UTF8.GetString(buffer.Slice(0, newline));
                _serverToClient.Reader.AdvanceTo(buffer.GetPosition(1, newline));
                return line;
            }

            read.IsCompleted.ShouldBeFalse("the transport closed its output before ending the line");
            _serverToClient.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
