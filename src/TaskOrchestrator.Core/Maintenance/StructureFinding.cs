namespace TaskOrchestrator.Core.Maintenance;

/// <summary>One problem <c>validate_structure</c> found.</summary>
/// <param name="Check">The check that found it.</param>
/// <param name="Severity">"error" (data is inconsistent) or "warning" (work cannot proceed as planned).</param>
/// <param name="Message">What is wrong.</param>
/// <param name="TaskIds">The tasks involved.</param>
/// <param name="Fix">How to resolve it.</param>
public sealed record StructureFinding(string Check, string Severity, string Message, IReadOnlyList<string> TaskIds, string Fix);
