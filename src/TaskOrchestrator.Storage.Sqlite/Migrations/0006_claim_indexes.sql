-- A claim moves a task from pending to in_progress and sets its agent, holder and lease. Every index
-- holding one of those columns is rewritten in the claim's commit, and each rewritten index page is a
-- log frame that the commit syncs and a later checkpoint copies: before this migration a claim wrote
-- about 15 frames at 100,000 tasks, and the checkpoint that those frames brought on every ~130 claims
-- was the claim latency's p99 (docs/PERFORMANCE.md).
--
-- The holder and agent indexes go. Their readers (the stale-instance sweep, the reclaim of work held
-- by ended instances, agent status) all ask for tasks in progress, which ix_task_status_order finds by
-- its (workspace_id, status) prefix; work in progress is what agents hold, not the whole workspace.
DROP INDEX ix_task_holder;
DROP INDEX ix_task_claimed_by;

-- The specialist index takes the hand-out order after the status. A claim removes the first ready task
-- of its specialist's pending entries and adds it after the last of that specialist's in-progress
-- entries, which sort right before them, so both changes fall on one page, as in ix_task_status_order.
-- Ordered by seq within a status, the two changes fell on two random pages (2.7 frames a claim).
DROP INDEX ix_task_specialist;
CREATE INDEX ix_task_specialist ON task (workspace_id, specialist_type, status, priority_rank DESC, complexity_rank, seq);
