using System.Text.Json;

namespace TaskOrchestrator.Server.Http.Mcp;

/// <summary>
/// The session records in one JSON file, rewritten whole and atomically (a temporary file renamed over
/// the old one), so that a crash leaves either the old or the new list, never half of one. Readable by
/// the owner only: a session id lets its holder act as that client.
/// </summary>
internal sealed class SessionRecordFile : IDisposable
{
    private readonly SemaphoreSlim _write = new(1, 1);

    public SessionRecordFile(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public void Dispose() => _write.Dispose();

    /// <summary>The records in the file; none when it is missing or unreadable (then every old session gets 404 and initializes again).</summary>
    public IReadOnlyList<SessionRecord> Load()
    {
        try
        {
            using var stream = File.OpenRead(Path);
            return JsonSerializer.Deserialize(stream, SessionRecordJson.Default.ListSessionRecord) ?? [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return [];
        }
    }

    /// <summary>The file's content for <paramref name="records"/>; taken while the caller holds the records still.</summary>
    public static byte[] Serialize(IReadOnlyList<SessionRecord> records) => JsonSerializer.SerializeToUtf8Bytes([.. records], SessionRecordJson.Default.ListSessionRecord);

    public async Task SaveAsync(byte[] content, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = FormattableString.Invariant($"{Path}.{Environment.ProcessId}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(temporary, options))
            {
                await stream.WriteAsync(content, cancellationToken);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            _write.Release();
        }
    }
}
