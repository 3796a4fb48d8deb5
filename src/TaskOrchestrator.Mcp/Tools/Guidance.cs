namespace TaskOrchestrator.Mcp.Tools;

/// <summary>The orchestration guidance handed to an agent when it starts or resumes a session.</summary>
public static class Guidance
{
    /// <summary>How to plan and work through tasks with this server.</summary>
    public const string Workflow = """
        # Working with TaskOrchestrator

        This server keeps the plan, the state and the results; you (the agent) do the work. Everything you
        store is durable: a crash or restart loses nothing that was acknowledged.

        ## 1. Plan the whole job in one call
        Call `orchestrator_plan_task` with a top-level task describing the goal (put shared facts, constraints
        and decisions in its `context` object) and its `subtasks`. Give each subtask a short `key` and list the
        keys it needs in `dependencies`; the tree is created atomically, cycles are refused. Keep each subtask
        small enough for one focused session, give it the `specialist_type` whose expertise fits (see the
        roster), a realistic `complexity` and a `priority` that reflects the critical path. Pass an
        `idempotency_key` so that a retried call does not create the plan twice.

        ## 2. Work through ready tasks
        - Find work: `orchestrator_query_tasks` with `ready_only=true` and `sort="priority"` lists tasks whose
          dependencies are all completed, in the order to take them.
        - Start one: `orchestrator_execute_task` (with your `agent_id`). It returns the specialist role to adopt,
          the parent's context and the results of every dependency. Work in that role.
        - Report it: `orchestrator_complete_task` with a `summary`, the full `detailed_work`, the `file_paths`
          you changed (inside the workspace) and a `next_action`:
          `continue` (done, move on), `complete` (done, and your part of the plan is finished),
          `needs_revision` (goes back to pending with your note) or `blocked` (blocked with your reason).
          The answer names the tasks your completion made ready.

        ## 3. Change the plan safely
        `orchestrator_update_task` edits fields, status and dependencies; pass `expected_version` (from the task
        you read) so that a concurrent change is reported instead of overwritten. `orchestrator_cancel_task`
        and `orchestrator_delete_task` refuse to strand other work unless told to cascade or force.

        ## 4. Finish
        When the subtasks of a task have ended, call `orchestrator_synthesize_results` for it: counts, success
        rate, outcomes, artifacts, a timeline and a markdown report. Then complete the parent.

        ## 5. Keep track
        `orchestrator_get_status` shows what is active, ready, blocked (and why) and waiting;
        `orchestrator_maintenance_coordinator` with `prepare_handover` writes a handover document for whoever
        continues; `orchestrator_resume_session` picks a session up again later.
        """;
}
