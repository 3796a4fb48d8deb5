// Every tool beside the lifecycle ones, through the official TypeScript client, with exact checks on
// the structured results; the session is resumed from a second server process.
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { allTasks, call, callError, connect, freshWorkspace } from "./support/server.mjs";

const ZERO_COUNTS = { pending: 0, in_progress: 0, blocked: 0, completed: 0, failed: 0, cancelled: 0, archived: 0 };

/** A client wrapper that counts the tool calls it makes, to check the server's own counts. */
function counted(client) {
  const calls = new Map();
  const errors = new Map();
  const bump = (map, name) => map.set(name, (map.get(name) ?? 0) + 1);
  return {
    calls,
    errors,
    ok: (name, args) => (bump(calls, name), call(client, name, args)),
    fail: (name, args) => (bump(calls, name), bump(errors, name), callError(client, name, args)),
    // Every task in one page (there are fewer than 500), counted as one query.
    tasks: () => (bump(calls, "orchestrator_query_tasks"), allTasks(client)),
  };
}

test("every tool through the TypeScript client, resumed from a new server process", { timeout: 120_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const first = await connect(t, workspace);
  const connectedAt = Date.now();
  const { ok, fail, tasks: currentTasks, calls, errors } = counted(first.client);

  const session = await ok("orchestrator_initialize_session", { session_name: "Tools session" });
  const sessionId = session.session_id;
  assert.equal(session.session_name, "Tools session");
  assert.ok(session.guidance.includes("orchestrator_plan_task"));

  const plan = await ok("orchestrator_plan_task", {
    title: "Service",
    session_id: sessionId,
    subtasks: [
      { key: "a", title: "Design" },
      { key: "b", title: "Build", task_type: "implementation", dependencies: ["a"] },
      { key: "c", title: "Parent C", subtasks: [{ title: "C1" }, { title: "C2" }] },
      { key: "d", title: "Docs", task_type: "documentation", dependencies: ["b"] },
      { key: "e", title: "Spike", task_type: "research", priority: "high" },
    ],
  });
  const root = plan.task_id;
  const [a, b, c, c1, c2, d, e] = plan.subtasks.map((s) => s.task_id);
  assert.deepEqual(plan.subtasks.map((s) => s.path), ["subtasks[0]", "subtasks[1]", "subtasks[2]", "subtasks[2].subtasks[0]", "subtasks[2].subtasks[1]", "subtasks[3]", "subtasks[4]"]);
  assert.equal(plan.subtasks[3].parent_task_id, c);

  // ---- orchestrator_update_task: optimistic concurrency.
  const updated = await ok("orchestrator_update_task", { task_id: a, expected_version: 1, title: "Design v2", priority: "high" });
  assert.equal(updated.version, 2);
  assert.equal(updated.task.version, 2);
  assert.equal(updated.task.title, "Design v2");
  assert.equal(updated.task.priority, "high");
  assert.deepEqual(
    [...updated.changes_applied].sort((x, y) => x.field.localeCompare(y.field)),
    [{ field: "priority", from: "medium", to: "high" }, { field: "title", from: "Design", to: "Design v2" }],
  );
  const conflict = await fail("orchestrator_update_task", { task_id: a, expected_version: 1, title: "Lost update" });
  assert.equal(conflict.code, "version_conflict");
  assert.equal(conflict.field, "expected_version");
  assert.equal(conflict.details.current_version, 2);
  assert.equal(conflict.details.expected_version, 1);
  assert.equal(conflict.details.task_id, a);
  assert.deepEqual(conflict.allowed, ["2"]);
  const unchanged = await ok("orchestrator_update_task", { task_id: a, expected_version: 2, title: "Design v2" });
  assert.deepEqual(unchanged.changes_applied, []);
  assert.equal(unchanged.version, 2);
  const blocked = await ok("orchestrator_update_task", { task_id: d, status: "blocked", status_reason: "waiting for the API freeze" });
  assert.equal(blocked.task.status, "blocked");
  assert.equal(blocked.task.status_reason, "waiting for the API freeze");
  assert.ok(blocked.changes_applied.some((change) => change.field === "status" && change.from === "pending" && change.to === "blocked"), JSON.stringify(blocked.changes_applied));
  let tasks = await currentTasks();
  assert.equal(tasks.get(a).title, "Design v2");
  assert.equal(tasks.get(a).version, 2);

  // ---- orchestrator_cancel_task: refused with open subtasks, then cascaded.
  const refusedCancel = await fail("orchestrator_cancel_task", { task_id: c });
  assert.equal(refusedCancel.code, "has_children");
  assert.equal(refusedCancel.field, "cascade");
  assert.deepEqual([...refusedCancel.details.open_subtasks].sort(), [c1, c2].sort());
  assert.equal((await currentTasks()).get(c).status, "pending");
  const cancelled = await ok("orchestrator_cancel_task", { task_id: c, cascade: true, reason: "descoped" });
  assert.equal(cancelled.cancelled_task_ids[0], c);
  assert.deepEqual([...cancelled.cancelled_task_ids].sort(), [c, c1, c2].sort());
  assert.equal(cancelled.task.status, "cancelled");
  assert.equal(cancelled.task.status_reason, "descoped");
  assert.equal(cancelled.preserved_work, true);
  assert.equal(cancelled.artifacts_discarded, 0);
  assert.deepEqual(cancelled.affected_dependents, []);
  tasks = await currentTasks();
  for (const id of [c, c1, c2]) assert.equal(tasks.get(id).status, "cancelled");

  // ---- one task worked through, so that there is an artifact to count and verify.
  const { lease } = await ok("orchestrator_execute_task", { task_id: e, agent_id: "agent-tools" });
  writeFileSync(join(workspace, "spike.md"), "findings\n");
  const spikeWork = "The spike found that the approach works.";
  const spike = await ok("orchestrator_complete_task", { task_id: e, agent_id: "agent-tools", lease_token: lease.lease_token, summary: "Spike done", detailed_work: spikeWork, file_paths: ["spike.md"], artifact_type: "analysis" });
  assert.equal(spike.task.status, "completed");

  // ---- orchestrator_delete_task: refused without force, then forced.
  const refusedDependents = await fail("orchestrator_delete_task", { task_id: a });
  assert.equal(refusedDependents.code, "has_dependents");
  assert.equal(refusedDependents.field, "force");
  assert.deepEqual(refusedDependents.details.dependents, [b]);
  const refusedChildren = await fail("orchestrator_delete_task", { task_id: root });
  assert.equal(refusedChildren.code, "has_children");
  assert.equal(refusedChildren.field, "force");
  assert.deepEqual([...refusedChildren.details.subtasks].sort(), [a, b, c, c1, c2, d, e].sort(), "the whole subtree is named");
  assert.equal((await currentTasks()).size, 8, "refused deletes removed nothing");
  const deleted = await ok("orchestrator_delete_task", { task_id: a, force: true });
  assert.deepEqual(deleted, { action: "deleted", task_id: a, affected_task_ids: [a], unlinked_dependencies: [{ task_id: b, depended_on: a }], artifacts_deleted: 0 });
  tasks = await currentTasks();
  assert.equal(tasks.has(a), false);
  assert.equal(tasks.size, 7);
  assert.deepEqual(tasks.get(b).dependencies, []);
  assert.equal(tasks.get(b).ready, true);

  // ---- orchestrator_get_status with performance metrics and resource usage.
  const status = await ok("orchestrator_get_status", { include_performance_metrics: true, include_resource_usage: true, include_completed: true });
  const elapsedSeconds = (Date.now() - connectedAt) / 1000;
  assert.equal(status.workspace.root, workspace);
  assert.equal(status.session_id, null);
  assert.equal(status.total_tasks, 7);
  assert.deepEqual(status.counts_by_status, { ...ZERO_COUNTS, pending: 2, blocked: 1, completed: 1, cancelled: 3 });
  assert.deepEqual(status.counts_by_specialist, {
    generic: { pending: 1, cancelled: 3 },
    implementer: { pending: 1 },
    documenter: { blocked: 1 },
    researcher: { completed: 1 },
  });
  assert.deepEqual(status.active, []);
  assert.deepEqual(status.ready.map((r) => r.task_id).sort(), [root, b].sort());
  assert.equal(status.ready_total, 2);
  assert.deepEqual(status.blocked, [{ task: { task_id: d, title: "Docs", status: "blocked", specialist_type: "documenter", priority: "medium" }, reason: "waiting for the API freeze" }]);
  assert.equal(status.blocked_total, 1);
  assert.equal(status.waiting_total, 0);
  assert.deepEqual(status.recently_completed.map((r) => r.task_id), [e]);
  // The status call itself is not yet counted when the report is made.
  const performance = status.performance;
  assert.equal(performance.total_calls, [...calls.values()].reduce((x, y) => x + y) - 1);
  assert.equal(performance.total_errors, [...errors.values()].reduce((x, y) => x + y));
  assert.ok(!Number.isNaN(Date.parse(performance.since)));
  for (const [tool, count] of calls) {
    if (tool === "orchestrator_get_status") continue;
    const stats = performance.tools.find((s) => s.tool === tool);
    assert.ok(stats, `performance lists ${tool}`);
    assert.equal(stats.calls, count, `${tool} calls`);
    assert.equal(stats.errors, errors.get(tool) ?? 0, `${tool} errors`);
    assert.ok(stats.p50_ms > 0 && stats.p50_ms <= stats.p95_ms && stats.p95_ms <= stats.p99_ms, `${tool} percentiles ordered`);
  }
  const usage = status.resource_usage;
  assert.equal(usage.artifact_count, 1);
  assert.equal(usage.artifact_content_chars, spikeWork.length);
  assert.ok(usage.database_bytes > 0);
  assert.ok(usage.wal_bytes >= 0);
  assert.ok(usage.working_set_bytes > 10_000_000 && usage.working_set_bytes <= usage.peak_working_set_bytes);
  assert.ok(usage.gc_heap_bytes > 0);
  assert.ok(usage.schema_version >= 1);
  assert.ok(usage.uptime_seconds > 0 && usage.uptime_seconds < elapsedSeconds + 60);

  // ---- orchestrator_maintenance_coordinator: all four actions.
  const validation = await ok("orchestrator_maintenance_coordinator", { action: "validate_structure", validation_level: "thorough" });
  assert.equal(validation.action, "validate_structure");
  assert.equal(validation.scope, "workspace");
  assert.equal(validation.validation.level, "thorough");
  assert.equal(validation.validation.valid, true);
  assert.deepEqual(validation.validation.findings, []);
  assert.equal(validation.validation.tasks_checked, 7);
  assert.equal(validation.validation.dependencies_checked, 1);
  assert.equal(validation.validation.artifacts_verified, 1);
  assert.ok(validation.validation.checks_run.includes("dependency_cycles"));
  assert.equal(validation.cleanup, null);
  assert.equal(validation.document, null);

  const statusDoc = join(workspace, ".task-orchestrator", "docs", "task-status.md");
  const dryDoc = await ok("orchestrator_maintenance_coordinator", { action: "update_documentation", dry_run: true });
  assert.equal(dryDoc.dry_run, true);
  assert.equal(dryDoc.document.written, false);
  assert.equal(dryDoc.document.path, statusDoc);
  assert.equal(existsSync(statusDoc), false, "a dry run writes nothing");
  const doc = await ok("orchestrator_maintenance_coordinator", { action: "update_documentation" });
  assert.equal(doc.document.written, true);
  assert.equal(doc.document.path, statusDoc);
  assert.equal(doc.document.relative_path, ".task-orchestrator/docs/task-status.md");
  assert.equal(readFileSync(statusDoc, "utf8"), doc.document.content);
  assert.equal(doc.document.bytes, Buffer.byteLength(doc.document.content, "utf8"));
  for (const title of ["Service", "Build", "Parent C", "Docs", "Spike"]) assert.ok(doc.document.content.includes(title), `status document mentions ${title}`);
  assert.ok(!doc.document.content.includes("Design v2"), "the deleted task is gone from the document");

  const handover = await ok("orchestrator_maintenance_coordinator", { action: "prepare_handover" });
  assert.equal(handover.action, "prepare_handover");
  assert.equal(handover.document.written, true);
  assert.match(handover.document.relative_path, /^\.task-orchestrator\/docs\/handover-\d{8}-\d{6}\.md$/);
  assert.equal(handover.document.path, join(workspace, handover.document.relative_path));
  assert.equal(readFileSync(handover.document.path, "utf8"), handover.document.content);
  assert.equal(handover.document.bytes, Buffer.byteLength(handover.document.content, "utf8"));
  assert.ok(handover.document.content.startsWith("# Handover"));
  assert.ok(handover.document.content.includes("waiting for the API freeze"), "the handover names the blocked reason");

  // scan_cleanup: a task left open under an archived parent is an orphan.
  const old = await ok("orchestrator_plan_task", { title: "Old plan", session_id: sessionId, subtasks: [{ title: "Leftover" }] });
  const leftover = old.subtasks[0].task_id;
  await ok("orchestrator_update_task", { task_id: old.task_id, status: "archived" });
  const dryScan = await ok("orchestrator_maintenance_coordinator", { action: "scan_cleanup", dry_run: true });
  assert.equal(dryScan.dry_run, true);
  assert.equal(dryScan.cleanup.stale_after, "1.00:00:00");
  assert.deepEqual(dryScan.cleanup.stale_tasks, []);
  assert.deepEqual(dryScan.cleanup.orphans.map((o) => [o.task.task_id, o.action]), [[leftover, "archived"]]);
  assert.equal(dryScan.cleanup.changed, 0);
  assert.equal((await currentTasks()).get(leftover).status, "pending", "a dry run changes nothing");
  const scan = await ok("orchestrator_maintenance_coordinator", { action: "scan_cleanup", stale_after: "90m" });
  assert.equal(scan.cleanup.stale_after, "01:30:00");
  assert.deepEqual(scan.cleanup.orphans.map((o) => o.task.task_id), [leftover]);
  assert.equal(scan.cleanup.changed, 1);
  assert.equal((await currentTasks()).get(leftover).status, "archived");

  // ---- orchestrator_list_sessions and orchestrator_session_status.
  const empty = await ok("orchestrator_initialize_session", { session_name: "Empty session" });
  const listed = await ok("orchestrator_list_sessions", {});
  assert.equal(listed.total_count, 2);
  assert.equal(listed.has_more, false);
  assert.equal(listed.next_offset, null);
  assert.deepEqual(listed.sessions.map((s) => s.session_id), [empty.session_id, sessionId], "most recently active first");
  const mine = listed.sessions[1];
  assert.equal(mine.name, "Tools session");
  assert.equal(mine.status, "active");
  assert.equal(mine.client_info, "interop-tests 1.0.0");
  assert.deepEqual(mine.task_counts, { ...ZERO_COUNTS, pending: 2, blocked: 1, completed: 1, cancelled: 3, archived: 2 });
  assert.equal(mine.total_tasks, 9);
  assert.equal(mine.completed_tasks, 1);
  assert.equal(mine.progress_percent, 11);
  assert.equal(listed.sessions[0].total_tasks, 0);
  const archivedOnly = await ok("orchestrator_list_sessions", { status: "archived" });
  assert.equal(archivedOnly.total_count, 0);
  const paged = await ok("orchestrator_list_sessions", { limit: 1 });
  assert.equal(paged.sessions.length, 1);
  assert.equal(paged.has_more, true);
  assert.equal(paged.next_offset, 1);

  const sessionStatus = await ok("orchestrator_session_status", { session_id: sessionId });
  const progress = sessionStatus.progress;
  assert.equal(progress.session.session_id, sessionId);
  assert.equal(progress.session.total_tasks, 9);
  assert.deepEqual(progress.in_progress, []);
  assert.deepEqual(progress.ready.map((r) => r.task_id).sort(), [root, b].sort());
  assert.deepEqual(progress.blocked.map((x) => [x.task.task_id, x.reason]), [[d, "waiting for the API freeze"]]);
  assert.deepEqual(progress.recently_completed.map((r) => r.task_id), [e]);
  assert.ok(progress.recent_events.length > 0);
  for (let i = 1; i < progress.recent_events.length; i++) {
    assert.ok(progress.recent_events[i - 1].sequence > progress.recent_events[i].sequence, "recent events newest first");
  }
  assert.equal(sessionStatus.workspace.root, workspace);

  // ---- orchestrator_cleanup_sessions as a dry run: reports the empty session, deletes nothing.
  // The caller's own current session is never cleaned up, so first make the tools session current again.
  await ok("orchestrator_resume_session", { session_id: sessionId });
  const cleanup = await ok("orchestrator_cleanup_sessions", { cleanup_type: "empty", older_than_days: 0, dry_run: true });
  assert.equal(cleanup.cleanup_type, "empty");
  assert.equal(cleanup.older_than_days, 0);
  assert.equal(cleanup.dry_run, true);
  assert.deepEqual(cleanup.sessions.map((s) => [s.session_id, s.rule, s.action, s.task_count, s.tasks_archived]), [[empty.session_id, "empty", "deleted", 0, 0]]);
  assert.equal(cleanup.sessions_deleted, 1);
  assert.equal(cleanup.sessions_archived, 0);
  assert.equal(cleanup.tasks_archived, 0);
  assert.equal((await ok("orchestrator_list_sessions", {})).total_count, 2, "the dry run deleted nothing");

  await first.close();

  // ---- orchestrator_resume_session from a new connection to a new server process.
  const second = await connect(t, workspace, { name: "interop-resume" });
  assert.notEqual(second.pid, first.pid);
  const resumed = await call(second.client, "orchestrator_resume_session", { session_id: sessionId });
  assert.equal(resumed.reactivated, false);
  assert.equal(resumed.workspace.root, workspace);
  assert.equal(resumed.progress.session.session_id, sessionId);
  assert.equal(resumed.progress.session.name, "Tools session");
  assert.equal(resumed.progress.session.total_tasks, 9);
  assert.equal(resumed.progress.ready_total, 2);
  assert.deepEqual(resumed.progress.ready.map((r) => r.task_id).sort(), [root, b].sort());
  assert.equal(resumed.progress.blocked_total, 1);
  assert.ok(resumed.next_steps.some((step) => step.includes("orchestrator_execute_task")), JSON.stringify(resumed.next_steps));
  assert.ok(resumed.next_steps.some((step) => step.includes("blocked")), JSON.stringify(resumed.next_steps));
  assert.ok(resumed.guidance.length > 0);
  const survived = await allTasks(second.client);
  assert.equal(survived.size, 9);
  assert.equal(survived.get(e).result_summary, "Spike done");
  assert.equal(survived.get(b).title, "Build");

  // Cleanup archives the other inactive session but never the caller's own (resumed above);
  // an archived session is reactivated by resuming it.
  const archiveRun = await call(second.client, "orchestrator_cleanup_sessions", { cleanup_type: "inactive", older_than_days: 0 });
  assert.equal(archiveRun.dry_run, false);
  assert.deepEqual(archiveRun.sessions.map((s) => s.session_id), [empty.session_id]);
  assert.equal((await call(second.client, "orchestrator_list_sessions", { status: "archived" })).total_count, 1);
  const reactivated = await call(second.client, "orchestrator_resume_session", { session_id: empty.session_id });
  assert.equal(reactivated.reactivated, true);
  assert.equal(reactivated.progress.session.status, "active");
});

test(
  "a session started or resumed on a connection is current for the later calls on it",
  {
    timeout: 60_000,
  },
  async (t) => {
    const workspace = freshWorkspace(t);
    const { client } = await connect(t, workspace);
    const session = await call(client, "orchestrator_initialize_session", { session_name: "Bound" });
    const plan = await call(client, "orchestrator_plan_task", { title: "Belongs to the session" });
    assert.equal(plan.task.session_id, session.session_id);
    const status = await call(client, "orchestrator_session_status", {});
    assert.equal(status.progress.session.session_id, session.session_id);
    assert.equal(status.progress.session.is_current, true);
    const listed = await call(client, "orchestrator_list_sessions", {});
    assert.equal(listed.sessions.find((s) => s.session_id === session.session_id).is_current, true);
  },
);

test(
  "get_status counts uptime and performance figures from the process start",
  {
    timeout: 60_000,
  },
  async (t) => {
    const workspace = freshWorkspace(t);
    const { client } = await connect(t, workspace);
    const connectedAt = Date.now();
    await sleep(2_000);
    const status = await call(client, "orchestrator_get_status", { include_performance_metrics: true, include_resource_usage: true });
    const connectedFor = (Date.now() - connectedAt) / 1000;
    assert.ok(status.resource_usage.uptime_seconds >= connectedFor - 0.2, `uptime ${status.resource_usage.uptime_seconds} s, connected for ${connectedFor} s`);
    assert.ok(Date.parse(status.performance.since) <= connectedAt, `since ${status.performance.since}, connected at ${new Date(connectedAt).toISOString()}`);
  },
);
