// Durability across server processes: what one process acknowledged, the next one serves, and an
// idempotency key replays the original answer even after a restart (or a kill -9).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { allTasks, call, callError, connect, freshWorkspace } from "./support/server.mjs";

const PLAN_ARGS = {
  title: "Migrate the billing database",
  description: "Move billing from MySQL to PostgreSQL without downtime.",
  task_type: "breakdown",
  priority: "high",
  idempotency_key: "plan-billing-migration-1",
  context: { source: "mysql 5.7", target: "postgresql 15" },
  subtasks: [
    { key: "dump", title: "Dump the schema", task_type: "research" },
    { key: "convert", title: "Convert the schema", task_type: "implementation", dependencies: ["dump"] },
    { key: "sync", title: "Set up replication", task_type: "deployment", dependencies: ["convert"] },
    { key: "verify", title: "Verify row counts", task_type: "testing", dependencies: ["sync"] },
  ],
};

/** Waits until a killed process is gone, so the next server really is a new process. */
async function waitForExit(pid) {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`process ${pid} did not exit`);
}

test("tasks and idempotent results survive a restart of the server process", { timeout: 120_000 }, async (t) => {
  const workspace = freshWorkspace(t);

  const first = await connect(t, workspace);
  const session = await call(first.client, "orchestrator_initialize_session", { session_name: "Durable" });
  const planned = await first.client.callTool({ name: "orchestrator_plan_task", arguments: { ...PLAN_ARGS, session_id: session.session_id } });
  assert.notEqual(planned.isError, true);
  const plan = planned.structuredContent;
  assert.equal(plan.created_count, 5);
  const [dump, convert] = plan.subtasks.map((s) => s.task_id);

  const { lease } = await call(first.client, "orchestrator_execute_task", { task_id: dump, agent_id: "agent-1" });
  writeFileSync(join(workspace, "schema.sql"), "create table invoices (id bigint primary key);\n");
  const completeArgs = {
    task_id: dump,
    agent_id: "agent-1",
    lease_token: lease.lease_token,
    summary: "Schema dumped",
    detailed_work: "42 tables, 3 views, 7 triggers.",
    file_paths: ["schema.sql"],
    artifact_type: "analysis",
    idempotency_key: "complete-dump-1",
  };
  const completed = await first.client.callTool({ name: "orchestrator_complete_task", arguments: completeArgs });
  assert.notEqual(completed.isError, true);
  assert.deepEqual(completed.structuredContent.newly_ready_tasks.map((r) => r.task_id), [convert]);
  const before = await allTasks(first.client);
  assert.equal(before.size, 5);
  await first.close();

  const second = await connect(t, workspace);
  assert.notEqual(second.pid, first.pid);
  const after = await allTasks(second.client);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  for (const [id, task] of before) {
    assert.deepEqual(after.get(id), task, `task ${id} is served unchanged by the new process`);
  }
  assert.equal(after.get(dump).status, "completed");
  assert.equal(after.get(dump).result_summary, "Schema dumped");
  assert.equal(after.get(plan.task_id).session_id, session.session_id);
  assert.deepEqual(after.get(plan.task_id).context, PLAN_ARGS.context);

  // The same call with the same key replays the stored answer and creates nothing...
  const replayedPlan = await second.client.callTool({ name: "orchestrator_plan_task", arguments: { ...PLAN_ARGS, session_id: session.session_id } });
  assert.notEqual(replayedPlan.isError, true);
  assert.deepEqual(replayedPlan.structuredContent, plan);
  assert.ok(replayedPlan.content[0].text.startsWith("(replayed from the idempotency key; nothing changed)"), replayedPlan.content[0].text);
  // ...whatever order the client happens to send the arguments in.
  const reordered = Object.fromEntries(Object.entries({ ...PLAN_ARGS, session_id: session.session_id }).reverse());
  const replayedAgain = await second.client.callTool({ name: "orchestrator_plan_task", arguments: reordered });
  assert.deepEqual(replayedAgain.structuredContent, plan);
  const replayedCompletion = await second.client.callTool({ name: "orchestrator_complete_task", arguments: completeArgs });
  assert.notEqual(replayedCompletion.isError, true);
  assert.deepEqual(replayedCompletion.structuredContent, completed.structuredContent);
  assert.equal((await allTasks(second.client)).size, 5, "the replays created nothing");
  const withArtifacts = await call(second.client, "orchestrator_query_tasks", { include_artifacts: true, status: ["completed"] });
  assert.equal(withArtifacts.tasks.length, 1);
  assert.equal(withArtifacts.tasks[0].artifacts.length, 1, "the replayed completion stored no second artifact");

  // The same key with different arguments is refused rather than silently replayed.
  const reused = await callError(second.client, "orchestrator_plan_task", { ...PLAN_ARGS, title: "Something else" });
  assert.equal(reused.code, "idempotency_key_reused");
  assert.equal(reused.field, "idempotency_key");
  assert.equal((await allTasks(second.client)).size, 5);
});

test("an acknowledged write survives kill -9 of the server process", { timeout: 120_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const first = await connect(t, workspace);
  const plan = await call(first.client, "orchestrator_plan_task", { title: "Survive a crash", subtasks: [{ title: "Step one" }, { title: "Step two" }] });
  const started = await call(first.client, "orchestrator_execute_task", { task_id: plan.subtasks[0].task_id, agent_id: "agent-crash" });
  assert.equal(started.task.status, "in_progress");
  process.kill(first.pid, "SIGKILL");
  await waitForExit(first.pid);
  await first.close();

  const second = await connect(t, workspace);
  const tasks = await allTasks(second.client);
  assert.equal(tasks.size, 3);
  assert.equal(tasks.get(plan.task_id).title, "Survive a crash");
  assert.equal(tasks.get(plan.subtasks[0].task_id).status, "in_progress");
  assert.equal(tasks.get(plan.subtasks[0].task_id).assigned_agent, "agent-crash");
  assert.equal(tasks.get(plan.subtasks[1].task_id).status, "pending");
  const validation = await call(second.client, "orchestrator_maintenance_coordinator", { action: "validate_structure", validation_level: "thorough" });
  assert.equal(validation.validation.valid, true);
  assert.deepEqual(validation.validation.findings, []);
});
