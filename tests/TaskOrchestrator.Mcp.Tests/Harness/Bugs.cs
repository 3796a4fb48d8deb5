namespace TaskOrchestrator.Mcp.Tests.Harness;

/// <summary>Skip reasons of tests that state correct behaviour the server does not have yet.</summary>
internal static class Bugs
{
    public const string NullForRequiredArgument =
        "bug: Validation/ArgumentValidator.cs checks a value's type before the required check, so null for a required argument is answered " +
        "invalid_argument ('must be a string, not null') instead of missing_argument; the null branch of the required check is unreachable";

    public const string BlankSessionIdNotValidated =
        "bug: Tools/SessionTools.cs (resume_session, session_status) passes an empty or blank session_id to the store and answers " +
        "not_found for session '' instead of missing_argument";

    public const string IllegalMoveNamesStatus =
        "bug: Core/Tasks/TaskTransitions.Ensure always reports field 'status' (allowed: statuses), so execute_task, complete_task and cancel_task, " +
        "which have no status argument, name an argument the caller never sent instead of task_id";

    public const string UnknownIdFilterAnswersEmpty =
        "bug: an unknown session_id or parent_task_id given to query_tasks, get_status or maintenance_coordinator (scope='session') is not checked: " +
        "the call succeeds with an empty result, indistinguishable from an existing session or task with nothing in it, instead of not_found";

    public const string HandoverIgnoresSubtree =
        "bug: Core/Maintenance/ProjectDocuments.HandoverAsync ignores scope='subtree': it neither checks target_task_id (an unknown id writes a " +
        "handover anyway) nor limits the handover to the subtree, although the document says 'scope subtree of ...'";

    public const string RemoveDependenciesNotValidated =
        "bug: Core/Tasks/Editing/TaskEditor.cs checks add_dependencies items (missing_argument when empty) but not remove_dependencies " +
        "items, which answer not_found \"does not depend on ''\"";

    public const string NestedContextUndescribed =
        "bug: in orchestrator_plan_task's input schema, subtasks[].context is {\"default\":null}: the [Description] on SubtaskInput.Context " +
        "(a JsonElement?) is lost, so that nested parameter has no description";
}
