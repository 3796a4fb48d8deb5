using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace TaskOrchestrator.Core.Storage.Transfer;

/// <summary>
/// The backend-neutral text of a row that transfer hashes compare: a JSON array of the column values in
/// <see cref="TransferTable.Columns"/> order, integers in decimal, flags as true/false, with the sequence
/// number shifted back by the target's offset, so that a row reads the same from either backend.
/// </summary>
public static class CanonicalRows
{
    /// <summary>The canonical line of <paramref name="values"/> (no newline).</summary>
    public static string Format(TransferTable table, object?[] values, long sequenceOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, table, values, sequenceOffset);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the canonical line of <paramref name="values"/> into <paramref name="buffer"/>.</summary>
    public static void Write(IBufferWriter<byte> buffer, TransferTable table, object?[] values, long sequenceOffset)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != table.Columns.Count)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"A '{table.Name}' row has {values.Length} values, not {table.Columns.Count}."));
        }

        int sequence = table.SequenceOrdinal;
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartArray();
        for (int i = 0; i < values.Length; i++)
        {
            switch (values[i])
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case long number:
                    writer.WriteNumberValue(i == sequence ? number - sequenceOffset : number);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                default:
                    throw new InvalidOperationException($"Column '{table.Name}.{table.Columns[i].Name}' holds a {values[i]!.GetType().Name}; transfers carry string, long, bool or null.");
            }
        }

        writer.WriteEndArray();
    }
}
