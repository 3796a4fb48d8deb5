using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Sessions;

/// <summary>Whether a session is in use.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    /// <summary>In use or resumable.</summary>
    [JsonStringEnumMemberName("active")] Active,

    /// <summary>Put away by a cleanup; its tasks remain.</summary>
    [JsonStringEnumMemberName("archived")] Archived,
}
