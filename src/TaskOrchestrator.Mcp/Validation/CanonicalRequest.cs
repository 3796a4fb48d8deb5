using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using TaskOrchestrator.Core.Idempotency;

namespace TaskOrchestrator.Mcp.Validation;

/// <summary>
/// Identifies a call for idempotency: the hash of its arguments in a canonical form (object keys
/// sorted, no insignificant whitespace, the idempotency key itself left out), so that the same call
/// sent twice hashes the same however the client formatted it.
/// </summary>
public static class CanonicalRequest
{
    /// <summary>The idempotency request of a call, or null when the call carries no key.</summary>
    public static IdempotencyRequest? For(CallToolRequestParams? call, string? idempotencyKey)
    {
        if (idempotencyKey is null || call is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in (call.Arguments ?? new Dictionary<string, JsonElement>()).Where(a => a.Key != "idempotency_key").OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                WriteCanonical(writer, value);
            }

            writer.WriteEndObject();
        }

        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
        return new IdempotencyRequest(idempotencyKey, call.Name, hash);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }
}
