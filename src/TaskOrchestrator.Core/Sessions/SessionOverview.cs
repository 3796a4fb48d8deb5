using TaskOrchestrator.Core.Events;
using TaskOrchestrator.Core.Reports;

namespace TaskOrchestrator.Core.Sessions;

/// <summary>A session with the state of its work.</summary>
/// <param name="Session">The session.</param>
/// <param name="Report">Its tasks by status, active, ready, blocked and waiting.</param>
/// <param name="RecentEvents">Its newest events, newest first.</param>
/// <param name="Reactivated">True when resuming it brought it back from archived.</param>
public sealed record SessionOverview(SessionRecord Session, StatusReport Report, IReadOnlyList<EventRecord> RecentEvents, bool Reactivated);
