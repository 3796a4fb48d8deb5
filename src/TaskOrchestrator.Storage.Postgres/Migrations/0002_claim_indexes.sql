-- An update that changes an indexed column gives the row a new version with an entry in every index of
-- the table, so each index the task table carries costs an insertion on every claim, heartbeat and
-- completion. The holder and agent indexes go: their readers (the stale-instance sweep, the reclaim of
-- work held by ended instances, agent status) all ask for tasks in progress in one workspace, which
-- ix_task_status_order finds by its (workspace_id, status) prefix.
DROP INDEX ix_task_holder;
DROP INDEX ix_task_claimed_by;
