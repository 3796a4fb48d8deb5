using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace TaskOrchestrator.Server.Hosting;

/// <summary>
/// Reads the top-level <c>id</c> of a line that failed to deserialize as a JSON-RPC message, so that
/// its sender gets a parse error for that request instead of waiting for an answer that never comes
/// (the worker's transport and, in front of it, the supervisor).
/// Only the top-level object is walked; every other value is skipped, at any depth.
/// </summary>
internal static class RequestIdReader
{
    /// <summary>The id when the line is an object with a string or integer id before any malformed part.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out RequestId id)
    {
        id = default;
        try
        {
            // The line may have failed for nesting deeper than the serializer allows; reading its id must not.
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = int.MaxValue });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isId = reader.ValueTextEquals("id"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (!isId)
                {
                    reader.Skip();
                    continue;
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        id = new RequestId(reader.GetString()!);
                        return true;
                    case JsonTokenType.Number when reader.TryGetInt64(out long number):
                        id = new RequestId(number);
                        return true;
                    default:
                        return false;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed before an id was found: nothing to answer.
        }

        return false;
    }
}
