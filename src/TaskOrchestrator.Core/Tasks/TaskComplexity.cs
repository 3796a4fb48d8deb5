using System.Text.Json.Serialization;

namespace TaskOrchestrator.Core.Tasks;

/// <summary>How hard a task is; simpler ready tasks are handed out first among equal priorities.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskComplexity>))]
public enum TaskComplexity
{
    /// <summary>Minutes of mechanical work.</summary>
    [JsonStringEnumMemberName("trivial")] Trivial,

    /// <summary>Straightforward, one concern.</summary>
    [JsonStringEnumMemberName("simple")] Simple,

    /// <summary>Several concerns or some unknowns.</summary>
    [JsonStringEnumMemberName("moderate")] Moderate,

    /// <summary>Many parts or real design decisions.</summary>
    [JsonStringEnumMemberName("complex")] Complex,

    /// <summary>Should probably be broken down further.</summary>
    [JsonStringEnumMemberName("very_complex")] VeryComplex,
}
