using System.Text;
using System.Text.Json;

namespace TaskOrchestrator.Server.Supervision;

/// <summary>Serializes string ids without reflection.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class JsonRpcIdContext : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>What kind of JSON-RPC message a line holds.</summary>
internal enum JsonRpcKind
{
    /// <summary>Not a JSON-RPC object (unparsable, or neither method nor id).</summary>
    Invalid,

    /// <summary>Has a method and an id: expects an answer.</summary>
    Request,

    /// <summary>Has a method and no id.</summary>
    Notification,

    /// <summary>Has an id and no method: answers a request.</summary>
    Response,
}

/// <summary>
/// The routing facts of one JSON-RPC line, read without building a document: the supervisor forwards
/// the bytes as they are and needs only the kind, the id, the method and, for <c>tools/call</c>, the
/// tool's name.
/// </summary>
/// <param name="Kind">Request, notification or response.</param>
/// <param name="Id">The id's raw JSON text (<c>7</c> or <c>"abc"</c>), null when absent.</param>
/// <param name="Method">The method, null for responses.</param>
/// <param name="ToolName">params.name when it is a string (the tool of a tools/call).</param>
internal readonly record struct JsonRpcMessage(JsonRpcKind Kind, string? Id, string? Method, string? ToolName)
{
    /// <summary>Whether this is a <c>tools/call</c> request.</summary>
    public bool IsToolCall => Kind == JsonRpcKind.Request && Method == "tools/call";

    /// <summary>Reads the routing facts of <paramref name="line"/>; <see cref="JsonRpcKind.Invalid"/> when it is not a JSON object.</summary>
    public static JsonRpcMessage Read(ReadOnlySpan<byte> line)
    {
        try
        {
            return ReadObject(line);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static JsonRpcMessage ReadObject(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        string? id = null, method = null, toolName = null;
        var hasId = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    hasId = true;
                    id = RawText(ref reader);
                }
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                method = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                reader.Read();
                toolName = reader.TokenType == JsonTokenType.StartObject ? ReadName(ref reader) : SkipValue(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var kind = (method, hasId) switch
        {
            (not null, true) => JsonRpcKind.Request,
            (not null, false) => JsonRpcKind.Notification,
            (null, true) => JsonRpcKind.Response,
            _ => JsonRpcKind.Invalid,
        };
        return new JsonRpcMessage(kind, id, method, toolName);
    }

    // Reads the direct "name" string of the params object the reader is at, skipping everything else.
    private static string? ReadName(ref Utf8JsonReader reader)
    {
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            reader.Read();
            if (isName && reader.TokenType == JsonTokenType.String)
            {
                name = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return name;
    }

    private static string? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    // The id as JSON text in one canonical spelling (a string keeps its quotes; escapes are normalized),
    // so that a request and its answer match however each side escaped the id.
    private static string RawText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return Encoding.UTF8.GetString(reader.ValueSpan);
        }

        return JsonSerializer.Serialize(reader.GetString(), JsonRpcIdContext.Default.String);
    }
}
