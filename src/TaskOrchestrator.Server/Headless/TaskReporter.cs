using Microsoft.Extensions.Logging;
using TaskOrchestrator.Core.Agents;
using TaskOrchestrator.Core.Artifacts;
using TaskOrchestrator.Core.Common;
using TaskOrchestrator.Core.Errors;
using TaskOrchestrator.Core.Storage;
using TaskOrchestrator.Core.Tasks;
using TaskOrchestrator.Core.Tasks.Claims;
using TaskOrchestrator.Core.Tasks.Completion;
using TaskOrchestrator.Core.Tasks.Editing;
using TaskOrchestrator.Mcp.Operations.Health;
using TaskOrchestrator.Mcp.Workspaces;

namespace TaskOrchestrator.Server.Headless;

/// <summary>
/// Writes what became of a worker's task, always under the claim's lease token: completed with the
/// command's output as the artifact, failed with the output's tail as the reason, or released for
/// another try. A write refused with lease_lost means the claim ended and someone else may hold the
/// task now: the result is discarded (logged), never stored over theirs. A busy or failing store is
/// tried again a few times while the lease still holds.
/// </summary>
internal sealed partial class TaskReporter
{
    private const int Attempts = 5;
    private static readonly TimeSpan RetryStep = TimeSpan.FromMilliseconds(500);

    private readonly WorkspaceContext _workspace;
    private readonly TaskCompleter _completer;
    private readonly TaskEditor _editor;
    private readonly AgentHealthPolicy _agents;
    private readonly Actor _actor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TaskReporter(WorkspaceContext workspace, TaskCompleter completer, TaskEditor editor, AgentHealthPolicy agents, Actor actor, TimeProvider time, ILogger logger)
    {
        _agents = agents;
        _workspace = workspace;
        _completer = completer;
        _editor = editor;
        _actor = actor;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes the task with <paramref name="content"/> as its artifact.</summary>
    public Task<bool> CompleteAsync(TaskRecord task, string summary, string content) =>
        WriteAsync(task, "completing", unit => _completer.CompleteAsync(
            unit,
            new CompletionRequest
            {
                TaskId = task.Id,
                AgentId = _actor.AgentId,
                LeaseToken = task.LeaseToken,
                Summary = summary,
                DetailedWork = content,
                NextAction = NextAction.Continue,
                ArtifactType = ArtifactType.General,
            },
            _actor,
            CancellationToken.None));

    /// <summary>Fails the task with <paramref name="reason"/>.</summary>
    public Task<bool> FailAsync(TaskRecord task, string reason) =>
        WriteAsync(task, "failing", unit => _editor.UpdateAsync(
            unit,
            new TaskUpdate { TaskId = task.Id, LeaseToken = task.LeaseToken, Status = TaskItemStatus.Failed, StatusReason = reason },
            _workspace.Roles(),
            _actor,
            CancellationToken.None));

    /// <summary>Gives the task back to pending with <paramref name="reason"/>.</summary>
    public Task<bool> ReleaseAsync(TaskRecord task, string reason) =>
        WriteAsync(task, "releasing", unit => TaskClaims.ReleaseAsync(unit, task.Id, task.LeaseToken!, reason, _actor, _time.Now(), _agents, CancellationToken.None));

    // Reports do not take the worker's stop token: a stopping worker still has to write them, so
    // that nothing it ran stays claimed.
    private async Task<bool> WriteAsync<T>(TaskRecord task, string action, Func<IStoreUnit, Task<T>> write)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var unit = await _workspace.Store.BeginWriteAsync(CancellationToken.None);
                await write(unit);
                await unit.CommitAsync(CancellationToken.None);
                return true;
            }
            catch (OrchestratorException ex) when (ex.Error.Code is ErrorCodes.LeaseLost or ErrorCodes.LeaseRequired)
            {
                LogDiscarded(_logger, task.Id, task.LeaseFence, action, ex.Error.Message);
                return false;
            }
            catch (OrchestratorException ex)
            {
                LogRefused(_logger, task.Id, action, ex.Error.Code, ex.Error.Message);
                return false;
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex) && attempt < Attempts)
            {
                LogRetrying(_logger, task.Id, action, attempt, HealthProbe.Describe(ex));
                await Task.Delay(RetryStep * attempt, _time);
            }
            catch (Exception ex) when (HealthProbe.IsStoreFailure(ex))
            {
                LogGaveUp(_logger, task.Id, action, Attempts, HealthProbe.Describe(ex));
                return false;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discarded the result of task {TaskId}: claim #{Fence} ended before {Action} it ({Reason}). Nothing was stored; whoever holds the task now does it.")]
    private static partial void LogDiscarded(ILogger logger, string taskId, long fence, string action, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused {Action} task {TaskId} ({Code}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string taskId, string action, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Action} task {TaskId} failed on attempt {Attempt}: {Reason}; trying again")]
    private static partial void LogRetrying(ILogger logger, string taskId, string action, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up {Action} task {TaskId} after {Attempts} attempts: {Reason}. Its lease will lapse and the task will be handed out again.")]
    private static partial void LogGaveUp(ILogger logger, string taskId, string action, int attempts, string reason);
}
