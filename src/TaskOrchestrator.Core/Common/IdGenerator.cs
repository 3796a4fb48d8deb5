using System.Security.Cryptography;

namespace TaskOrchestrator.Core.Common;

/// <summary>
/// Creates ids of the form <c>prefix_</c> + 16 Crockford base-32 characters: 48 bits of milliseconds
/// followed by 32 random bits. Ids sort by creation time, which keeps B-tree inserts at the right
/// edge, and collide with negligible probability even across processes. Within one millisecond a
/// generator counts up from its last id instead of drawing new random bits, so its ids never collide
/// and keep increasing however many it makes at once. Thread-safe.
/// </summary>
public sealed class IdGenerator
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ulong _lastMillis;
    private ulong _lastRandom;

    /// <summary>Creates a generator that stamps ids with <paramref name="time"/>.</summary>
    public IdGenerator(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>A new task id, <c>task_…</c>.</summary>
    public string NewTaskId() => New("task");

    /// <summary>A new session id, <c>ses_…</c>.</summary>
    public string NewSessionId() => New("ses");

    /// <summary>A new artifact id, <c>art_…</c>.</summary>
    public string NewArtifactId() => New("art");

    /// <summary>A new workspace id, <c>ws_…</c>.</summary>
    public string NewWorkspaceId() => New("ws");

    /// <summary>A new id with the given prefix.</summary>
    public string New(string prefix)
    {
        ulong millis = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFFUL;
        ulong random;
        lock (_gate)
        {
            // 32 fresh random bits per id collide within a burst (a plan of 500 tasks shares one
            // millisecond): continue from the last id instead, also when the clock steps back.
            if (millis > _lastMillis)
            {
                random = (ulong)(uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
            }
            else
            {
                millis = _lastMillis;
                random = _lastRandom + 1;
                if (random > uint.MaxValue)
                {
                    millis++;
                    random = 0;
                }
            }

            _lastMillis = millis;
            _lastRandom = random;
        }

        Span<char> chars = stackalloc char[16];

        // 80 bits = 16 groups of 5: the top 48 are time, the low 32 are random.
        ulong high = millis >> 8;                         // 40 bits -> 8 chars
        ulong low = ((millis & 0xFF) << 32) | random;     // 40 bits -> 8 chars
        for (int i = 7; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(high & 31)];
            high >>= 5;
            chars[8 + i] = Alphabet[(int)(low & 31)];
            low >>= 5;
        }

        return string.Concat(prefix, "_", chars);
    }
}
