// Bad input through the real client: each mistake is a tool error (isError) naming the code and the
// field, and nothing in the workspace changes because of it.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { allTasks, call, callError, connect, freshWorkspace } from "./support/server.mjs";

test("bad input is refused with the code and field, and changes nothing", { timeout: 120_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const { client } = await connect(t, workspace);
  const plan = await call(client, "orchestrator_plan_task", {
    title: "Baseline",
    subtasks: [
      { key: "a", title: "First" },
      { key: "b", title: "Second", dependencies: ["a"] },
    ],
  });
  const [a, b] = plan.subtasks.map((s) => s.task_id);
  const baseline = await allTasks(client);
  assert.equal(baseline.size, 3);

  /** Nothing in the workspace changed: the same tasks at the same versions with the same values. */
  const assertUnchanged = async (what) => {
    const now = await allTasks(client);
    assert.deepEqual(now, baseline, `${what} changed nothing`);
  };

  /** Calls a tool that must fail; checks code and field; checks nothing changed. */
  const refused = async (what, name, args, code, field) => {
    const error = await callError(client, name, args);
    assert.equal(error.code, code, `${what}: ${JSON.stringify(error)}`);
    assert.equal(error.field, field, `${what}: ${JSON.stringify(error)}`);
    assert.ok(error.hint, `${what} has a hint`);
    await assertUnchanged(what);
    return error;
  };

  // Unknown argument, top-level and nested.
  const unknown = await refused("unknown argument", "orchestrator_plan_task", { title: "X", titel: "typo" }, "unknown_argument", "titel");
  assert.ok(unknown.allowed.includes("title"));
  assert.ok(unknown.message.includes("titel"));
  const unknownNested = await refused("unknown nested argument", "orchestrator_plan_task", { title: "X", subtasks: [{ title: "Y", depends: ["a"] }] }, "unknown_argument", "subtasks[0].depends");
  assert.ok(unknownNested.allowed.includes("dependencies"));

  // Wrong types.
  const wrongType = await refused("wrong type", "orchestrator_update_task", { task_id: a, title: 123 }, "invalid_argument", "title");
  assert.ok(wrongType.message.includes("123"), wrongType.message);
  await refused("string for an integer", "orchestrator_query_tasks", { limit: "5" }, "invalid_argument", "limit");
  await refused("string for an array", "orchestrator_plan_task", { title: "X", subtasks: "none" }, "invalid_argument", "subtasks");
  await refused("string for a boolean", "orchestrator_cancel_task", { task_id: a, cascade: "yes" }, "invalid_argument", "cascade");

  // Enum values not allowed.
  const priority = await refused("enum", "orchestrator_plan_task", { title: "X", priority: "urgent" }, "invalid_argument", "priority");
  assert.deepEqual(priority.allowed, ["low", "medium", "high", "critical"]);
  const nestedEnum = await refused("nested enum", "orchestrator_plan_task", { title: "X", subtasks: [{ title: "Y", complexity: "huge" }] }, "invalid_argument", "subtasks[0].complexity");
  assert.deepEqual(nestedEnum.allowed, ["trivial", "simple", "moderate", "complex", "very_complex"]);
  const sort = await refused("sort enum", "orchestrator_query_tasks", { sort: "random" }, "invalid_argument", "sort");
  assert.ok(sort.allowed.includes("priority"));
  await refused("status filter enum", "orchestrator_query_tasks", { status: ["done"] }, "invalid_argument", "status[0]");

  // Out-of-range numbers.
  const tooMany = await refused("limit above range", "orchestrator_query_tasks", { limit: 501 }, "invalid_argument", "limit");
  assert.deepEqual(tooMany.allowed, ["1..500"]);
  await refused("limit below range", "orchestrator_query_tasks", { limit: 0 }, "invalid_argument", "limit");
  await refused("negative offset", "orchestrator_query_tasks", { offset: -1 }, "invalid_argument", "offset");
  await refused("days above range", "orchestrator_cleanup_sessions", { older_than_days: 3651 }, "invalid_argument", "older_than_days");

  // Missing required values.
  await refused("missing title", "orchestrator_plan_task", { description: "no title" }, "missing_argument", "title");
  await refused("empty title", "orchestrator_plan_task", { title: "   " }, "missing_argument", "title");
  await refused("missing nested title", "orchestrator_plan_task", { title: "X", subtasks: [{ key: "k1", title: "ok" }, { key: "k2" }] }, "missing_argument", "subtasks[1].title");
  await refused("missing task_id", "orchestrator_execute_task", {}, "missing_argument", "task_id");

  // Dependency cycles: within one plan, and against existing tasks.
  const cycle = await refused(
    "plan cycle",
    "orchestrator_plan_task",
    { title: "Cyclic", subtasks: [{ key: "x", title: "X", dependencies: ["z"] }, { key: "y", title: "Y", dependencies: ["x"] }, { key: "z", title: "Z", dependencies: ["y"] }] },
    "dependency_cycle",
    "subtasks[0].dependencies",
  );
  assert.equal(cycle.details.cycle.length, 4);
  assert.equal(cycle.details.cycle[0], cycle.details.cycle[3]);
  assert.deepEqual([...cycle.details.cycle.slice(0, 3)].sort(), ["x", "y", "z"]);
  const existingCycle = await callError(client, "orchestrator_update_task", { task_id: a, add_dependencies: [b] });
  assert.equal(existingCycle.code, "dependency_cycle");
  assert.equal(existingCycle.field, "add_dependencies[0]");
  assert.ok(existingCycle.message.includes(a) && existingCycle.message.includes(b), existingCycle.message);
  await assertUnchanged("a cycle against existing tasks");
  const unknownKey = await refused("unknown dependency key", "orchestrator_plan_task", { title: "X", subtasks: [{ title: "Y", dependencies: ["nope"] }] }, "not_found", "subtasks[0].dependencies[0]");
  assert.deepEqual(unknownKey.details.missing, ["nope"]);
  await refused("unknown task", "orchestrator_execute_task", { task_id: "task_doesnotexist" }, "not_found", "task_id");

  // Starting a task whose dependency is unfinished is refused, naming the dependency.
  const early = await refused("dependency unfinished", "orchestrator_execute_task", { task_id: b }, "dependencies_incomplete", "task_id");
  assert.ok(early.message.includes(a), early.message);

  // Paths outside the workspace: .., absolute, and a symlink pointing out.
  const { lease } = await call(client, "orchestrator_execute_task", { task_id: a, agent_id: "agent-bad" });
  // The new baseline: the first task in progress (which also shows in the second's dependency).
  for (const [id, task] of await allTasks(client)) baseline.set(id, task);
  const outside = join(dirname(workspace), `outside-${process.pid}-${Date.now()}.txt`);
  writeFileSync(outside, "not yours\n");
  t.after(() => rmSync(outside, { force: true }));
  mkdirSync(join(workspace, "src"));
  writeFileSync(join(workspace, "src", "ok.txt"), "inside\n");
  symlinkSync(outside, join(workspace, "src", "escape.txt"));
  const complete = (file_paths) => ({ task_id: a, agent_id: "agent-bad", lease_token: lease.lease_token, summary: "done", detailed_work: "work", file_paths });
  const traversal = await refused("path traversal", "orchestrator_complete_task", complete(["src/ok.txt", `../${outside.split("/").pop()}`]), "path_outside_workspace", "file_paths[1]");
  assert.ok(traversal.message.includes(".."), traversal.message);
  await refused("absolute path outside", "orchestrator_complete_task", complete([outside]), "path_outside_workspace", "file_paths[0]");
  await refused("symlink out of the workspace", "orchestrator_complete_task", complete(["src/escape.txt"]), "path_outside_workspace", "file_paths[0]");
  await refused("missing file", "orchestrator_complete_task", complete(["src/missing.txt"]), "file_not_found", "file_paths[0]");
  const artifacts = await call(client, "orchestrator_query_tasks", { include_artifacts: true, status: ["in_progress"] });
  assert.deepEqual(artifacts.tasks.map((task) => [task.task_id, task.artifacts.length]), [[a, 0]], "no artifact was stored by the refused reports");

  // After all that, a good report still goes through.
  const done = await call(client, "orchestrator_complete_task", complete(["src/ok.txt"]));
  assert.equal(done.task.status, "completed");
  assert.deepEqual(done.artifact.file_paths, ["src/ok.txt"]);
  assert.deepEqual(done.newly_ready_tasks.map((r) => r.task_id), [b]);
});
