namespace TaskOrchestrator.Core.Sessions;

/// <summary>A session a cleanup matched and what was (or would be) done.</summary>
/// <param name="Session">The session as found.</param>
/// <param name="TaskCount">Its tasks.</param>
/// <param name="Rule">The cleanup rule that matched: inactive, completed or empty.</param>
/// <param name="Action">"archived", "archived_with_tasks" or "deleted".</param>
/// <param name="TasksArchived">Tasks archived with it.</param>
public sealed record SessionCleanupItem(SessionRecord Session, int TaskCount, string Rule, string Action, int TasksArchived);
