using TaskOrchestrator.Core.Tasks;

namespace TaskOrchestrator.Core.Storage;

/// <summary>Tasks of one workspace. Lookups return null or omit rows for ids that do not exist.</summary>
public interface ITaskStore
{
    /// <summary>The task with <paramref name="id"/>, or null.</summary>
    Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The tasks among <paramref name="ids"/> that exist, in no particular order.</summary>
    Task<IReadOnlyList<TaskRecord>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>Inserts a new task. Its parent, if any, must exist.</summary>
    Task InsertAsync(TaskRecord task, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored task with <paramref name="task"/> when the stored version equals
    /// <paramref name="expectedVersion"/>; otherwise throws <c>version_conflict</c> with the stored version.
    /// </summary>
    Task UpdateAsync(TaskRecord task, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="task"/> over <paramref name="stored"/>, the same task as read in this unit,
    /// when the stored version still equals <paramref name="stored"/>'s; otherwise throws
    /// <c>version_conflict</c> like <see cref="UpdateAsync(TaskRecord, long, CancellationToken)"/>. Only the
    /// columns in which the two differ are written (nothing but the version check when none does): on hot
    /// paths (claims, heartbeats) that spares the index entries of the columns that did not change, and a
    /// column changed meanwhile by a write that kept the version keeps that write's value. Throws
    /// <see cref="ArgumentException"/> when the two records are not the same task.
    /// </summary>
    Task UpdateAsync(TaskRecord task, TaskRecord stored, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the tasks, their artifacts and every dependency edge that touches them. Callers delete a
    /// parent together with all of its descendants.
    /// </summary>
    Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>A filtered, sorted page of tasks and the total number matching.</summary>
    Task<TaskPage> QueryAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>The direct children of the given tasks, oldest first.</summary>
    Task<IReadOnlyList<TaskRecord>> GetChildrenAsync(IReadOnlyCollection<string> parentIds, CancellationToken cancellationToken);

    /// <summary>Every descendant of <paramref name="rootId"/> at any depth, excluding the root, oldest first.</summary>
    Task<IReadOnlyList<TaskRecord>> GetDescendantsAsync(string rootId, CancellationToken cancellationToken);

    /// <summary>Task counts per status, for the whole workspace or one session.</summary>
    Task<IReadOnlyDictionary<TaskItemStatus, int>> CountByStatusAsync(string? sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Pending and in-progress tasks of the workspace, each counted up to <paramref name="cap"/>: what a
    /// claim that found nothing ready reports. An idle agent asks for work again and again, so the count
    /// stops at the cap instead of following the open work (in PostgreSQL, 30,000 tasks in progress
    /// took 12 ms to count, docs/PERFORMANCE.md).
    /// </summary>
    Task<(int Pending, int InProgress)> CountOpenWorkAsync(int cap, CancellationToken cancellationToken);

    /// <summary>Task counts per specialist role and status, for the whole workspace or one session.</summary>
    Task<IReadOnlyList<SpecialistStatusCount>> CountBySpecialistAsync(string? sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Tasks that have not ended but whose parent is cancelled, archived or missing: work that can
    /// never roll up into anything.
    /// </summary>
    Task<IReadOnlyList<TaskRecord>> GetOrphansAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Tasks in progress whose last change is older than <paramref name="updatedBefore"/>.</summary>
    Task<IReadOnlyList<TaskRecord>> GetStaleInProgressAsync(DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Tasks in progress whose lease expired before <paramref name="now"/>, oldest expiry first.</summary>
    Task<IReadOnlyList<TaskRecord>> GetExpiredLeasesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>The distinct server instances through which tasks in progress are held (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<string>> GetHolderInstanceIdsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Tasks in progress held through any of <paramref name="instanceIds"/>.</summary>
    Task<IReadOnlyList<TaskRecord>> GetHeldByAsync(IReadOnlyCollection<string> instanceIds, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The tasks in progress under a claim (with a lease token) by any of <paramref name="agentIds"/>,
    /// ordered by agent, then lease expiry; at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<TaskRecord>> GetClaimedByAsync(IReadOnlyCollection<string> agentIds, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The tasks agents should claim next among those <paramref name="filter"/> admits, best first, at most
    /// <paramref name="limit"/>: pending, every hard dependency satisfied, no subtask still open; the
    /// highest priority, then the lowest complexity, then the oldest. Claiming one of them changes no
    /// other's readiness, so a unit may claim them in this order. Called inside a write unit, so that the
    /// claims that follow are atomic.
    /// </summary>
    Task<IReadOnlyList<TaskRecord>> FindClaimableAsync(Tasks.Claims.ClaimFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>The tree and status of every task, lightweight, for whole-workspace validation.</summary>
    Task<IReadOnlyList<TaskNode>> GetAllNodesAsync(CancellationToken cancellationToken);
}
