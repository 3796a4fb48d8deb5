// Full lifecycle through the official TypeScript MCP client: one plan of 20 interdependent
// subtasks, worked through in ready order, then synthesized and the root completed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { EXPECTED_TOOLS, call, connect, freshWorkspace } from "./support/server.mjs";

// A release of a small web service: research fans out into three designs, the designs feed five
// implementation tasks, which fan back in to integration, review and tests, then docs and deploys.
const PLAN = [
  { key: "req", title: "Gather requirements", task_type: "research", priority: "critical", complexity: "simple", dependencies: [] },
  { key: "survey", title: "Survey the existing code", task_type: "research", priority: "high", complexity: "moderate", dependencies: [] },
  { key: "design-api", title: "Design the HTTP API", specialist_type: "architect", priority: "critical", complexity: "complex", dependencies: ["req", "survey"] },
  { key: "design-db", title: "Design the database schema", specialist_type: "architect", priority: "high", complexity: "moderate", dependencies: ["req"] },
  { key: "design-ui", title: "Design the user interface", specialist_type: "architect", priority: "medium", complexity: "moderate", dependencies: ["req"] },
  { key: "impl-schema", title: "Implement the schema", task_type: "implementation", priority: "high", complexity: "simple", dependencies: ["design-db"] },
  { key: "impl-api", title: "Implement the API endpoints", task_type: "implementation", priority: "critical", complexity: "complex", dependencies: ["design-api", "design-db"] },
  { key: "impl-ui", title: "Implement the UI screens", task_type: "implementation", priority: "medium", complexity: "complex", dependencies: ["design-ui", "design-api"] },
  { key: "impl-auth", title: "Implement authentication", task_type: "implementation", priority: "high", complexity: "very_complex", dependencies: ["design-api"] },
  { key: "impl-repo", title: "Implement the repository layer", task_type: "implementation", priority: "medium", complexity: "moderate", dependencies: ["impl-schema"] },
  { key: "migrations", title: "Write the data migrations", task_type: "implementation", priority: "low", complexity: "simple", dependencies: ["impl-schema"] },
  { key: "test-api", title: "Test the API", task_type: "testing", priority: "high", complexity: "moderate", dependencies: ["impl-api", "impl-auth"] },
  { key: "test-ui", title: "Test the UI", task_type: "testing", priority: "medium", complexity: "moderate", dependencies: ["impl-ui"] },
  { key: "integration", title: "Integrate the components", task_type: "implementation", priority: "high", complexity: "complex", dependencies: ["impl-repo", "impl-api", "impl-ui", "migrations"] },
  { key: "review", title: "Review the code", task_type: "review", priority: "medium", complexity: "moderate", dependencies: ["impl-api", "impl-ui", "impl-auth"] },
  { key: "e2e", title: "Run the end-to-end tests", task_type: "testing", priority: "high", complexity: "moderate", dependencies: ["integration", "test-api", "test-ui"] },
  { key: "docs-api", title: "Document the API", task_type: "documentation", priority: "low", complexity: "simple", dependencies: ["impl-api", "review"] },
  { key: "deploy-staging", title: "Deploy to staging", task_type: "deployment", priority: "high", complexity: "moderate", dependencies: ["e2e", "docs-api"] },
  { key: "release-notes", title: "Write the release notes", task_type: "documentation", priority: "low", complexity: "trivial", dependencies: ["docs-api", "test-ui"] },
  { key: "deploy-prod", title: "Deploy to production", task_type: "deployment", priority: "critical", complexity: "moderate", dependencies: ["deploy-staging", "release-notes"] },
];

const DEFAULT_SPECIALIST = { research: "researcher", implementation: "implementer", testing: "tester", review: "reviewer", documentation: "documenter", deployment: "devops", standard: "generic" };
const ARTIFACT_TYPE = { research: "analysis", implementation: "code", testing: "test", review: "review", documentation: "documentation", deployment: "configuration", standard: "design" };
const PRIORITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 };
const COMPLEXITY_RANK = { trivial: 0, simple: 1, moderate: 2, complex: 3, very_complex: 4 };
const AGENT = "agent-lifecycle";

const sha256 = (text) => "sha256:" + createHash("sha256").update(text, "utf8").digest("hex");
const detailedWork = (spec) => `# ${spec.title}\n\nDone for key ${spec.key}; depends on ${spec.dependencies.join(", ") || "nothing"}.\n`;

test("full lifecycle: 20 interdependent subtasks executed in dependency order, synthesized, root completed", { timeout: 120_000 }, async (t) => {
  assert.equal(PLAN.length, 20);
  const workspace = freshWorkspace(t);
  const { client } = await connect(t, workspace);

  const server = client.getServerVersion();
  assert.equal(server.name, "task-orchestrator");
  assert.match(server.version, /^\d+\.\d+\.\d+/);
  assert.ok(client.getServerCapabilities()?.tools, "the server declares the tools capability");

  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((tool) => tool.name).sort(), [...EXPECTED_TOOLS].sort());
  for (const tool of tools) {
    assert.equal(tool.inputSchema?.type, "object", `${tool.name} inputSchema`);
    assert.equal(tool.outputSchema?.type, "object", `${tool.name} outputSchema`);
    assert.ok(tool.description && tool.description.length > 40, `${tool.name} has a description`);
    for (const [name, property] of Object.entries(tool.inputSchema.properties ?? {})) {
      assert.match(name, /^[a-z][a-z0-9_]*$/, `${tool.name}.${name} is snake_case`);
      assert.ok(property.description, `${tool.name}.${name} has a description`);
    }
  }

  const session = await call(client, "orchestrator_initialize_session", { session_name: "Release 1.0" });
  assert.match(session.session_id, /^ses_/);
  assert.equal(session.session_name, "Release 1.0");
  assert.equal(session.workspace.root, workspace);
  assert.equal(session.workspace.resolved_from, "--workspace");
  assert.equal(session.workspace.backend, "sqlite");
  assert.equal(session.workspace.database_path, join(workspace, ".task-orchestrator", "orchestrator.db"));
  const roleNames = session.specialist_roles.map((role) => role.name);
  for (const role of ["architect", "implementer", "tester", "reviewer", "documenter", "researcher", "devops", "generic"]) {
    assert.ok(roleNames.includes(role), `roster has ${role}: ${roleNames}`);
  }

  // One call plans the root and all 20 subtasks; dependencies refer to local keys.
  const plan = await call(client, "orchestrator_plan_task", {
    title: "Ship release 1.0",
    description: "Everything needed to ship the first release of the service.",
    task_type: "breakdown",
    priority: "critical",
    session_id: session.session_id,
    context: { product: "orders-service", deadline: "end of quarter" },
    subtasks: PLAN.map(({ key, title, task_type, specialist_type, priority, complexity, dependencies }) => ({
      key,
      title,
      description: `Do: ${title.toLowerCase()}.`,
      ...(task_type ? { task_type } : {}),
      ...(specialist_type ? { specialist_type } : {}),
      priority,
      complexity,
      dependencies,
    })),
  });
  const rootId = plan.task_id;
  assert.match(rootId, /^task_/);
  assert.equal(plan.version, 1);
  assert.equal(plan.status, "pending");
  assert.equal(plan.created_count, 21);
  assert.equal(plan.task.title, "Ship release 1.0");
  assert.equal(plan.task.specialist_type, "coordinator");
  assert.equal(plan.task.session_id, session.session_id);
  assert.deepEqual(plan.task.context, { product: "orders-service", deadline: "end of quarter" });
  assert.equal(plan.subtasks.length, 20);

  const idOf = new Map();
  const specOf = new Map();
  plan.subtasks.forEach((planned, index) => {
    const spec = PLAN[index];
    assert.equal(planned.key, spec.key);
    assert.equal(planned.path, `subtasks[${index}]`);
    assert.equal(planned.title, spec.title);
    assert.equal(planned.parent_task_id, rootId);
    assert.equal(planned.status, "pending");
    assert.equal(planned.specialist_type, spec.specialist_type ?? DEFAULT_SPECIALIST[spec.task_type ?? "standard"]);
    assert.equal(planned.ready, spec.dependencies.length === 0);
    idOf.set(spec.key, planned.task_id);
    specOf.set(planned.task_id, spec);
  });
  assert.equal(new Set(idOf.values()).size, 20, "every subtask has its own id");
  plan.subtasks.forEach((planned, index) => {
    assert.deepEqual([...planned.depends_on].sort(), PLAN[index].dependencies.map((key) => idOf.get(key)).sort());
  });
  assert.deepEqual([...plan.ready_task_ids].sort(), [rootId, idOf.get("req"), idOf.get("survey")].sort());

  // The model of the plan: which tasks are ready given what has completed.
  const completed = new Set();
  const started = new Set();
  const readyNow = () =>
    PLAN.filter((spec) => !started.has(spec.key) && spec.dependencies.every((dep) => completed.has(dep))).map((spec) => idOf.get(spec.key));

  const startOrder = [];
  const completionOrder = [];
  mkdirSync(join(workspace, "work"));
  let rounds = 0;
  while (completed.size < PLAN.length) {
    assert.ok(++rounds <= PLAN.length, "the plan drains in at most 20 rounds");
    const query = await call(client, "orchestrator_query_tasks", { ready_only: true, sort: "priority", parent_task_id: rootId });
    const readyIds = query.tasks.map((task) => task.task_id);
    assert.deepEqual([...readyIds].sort(), readyNow().sort(), `ready tasks in round ${rounds}`);
    assert.equal(query.total_count, readyIds.length);
    assert.equal(query.has_more, false);
    assert.equal(query.filters_applied.ready_only, true);
    assert.equal(query.filters_applied.sort, "priority");
    assert.equal(query.filters_applied.parent_task_id, rootId);
    for (let i = 1; i < query.tasks.length; i++) {
      const [a, b] = [query.tasks[i - 1], query.tasks[i]];
      const byPriority = PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority];
      assert.ok(byPriority < 0 || (byPriority === 0 && COMPLEXITY_RANK[a.complexity] <= COMPLEXITY_RANK[b.complexity]),
        `hand-out order: ${a.title} (${a.priority}, ${a.complexity}) before ${b.title} (${b.priority}, ${b.complexity})`);
    }
    for (const task of query.tasks) {
      assert.equal(task.status, "pending");
      assert.equal(task.ready, true);
      assert.ok(task.dependencies.every((dep) => dep.status === "completed" && dep.satisfied));
    }

    for (const readyTask of query.tasks) {
      const spec = specOf.get(readyTask.task_id);
      const execution = await call(client, "orchestrator_execute_task", { task_id: readyTask.task_id, agent_id: AGENT });
      started.add(spec.key);
      startOrder.push(spec.key);
      assert.equal(execution.already_in_progress, false);
      assert.equal(execution.task.status, "in_progress");
      assert.equal(execution.task.assigned_agent, AGENT);
      assert.equal(execution.task.task_id, readyTask.task_id);
      assert.equal(execution.specialist.name, spec.specialist_type ?? DEFAULT_SPECIALIST[spec.task_type ?? "standard"]);
      assert.ok(execution.specialist.prompt.length > 0);
      assert.equal(execution.parent_context.task_id, rootId);
      assert.deepEqual(execution.parent_context.context, { product: "orders-service", deadline: "end of quarter" });
      assert.deepEqual(execution.ancestors.map((a) => a.task_id), [rootId]);
      assert.ok(execution.instructions.includes(readyTask.task_id));
      // The results of every dependency are handed over, with the detailed work stored for it.
      assert.deepEqual(execution.dependency_results.map((d) => d.task_id).sort(), spec.dependencies.map((key) => idOf.get(key)).sort());
      for (const dependency of execution.dependency_results) {
        const depSpec = specOf.get(dependency.task_id);
        assert.equal(dependency.status, "completed");
        assert.equal(dependency.kind, "hard");
        assert.equal(dependency.result_summary, `Completed: ${depSpec.title}`);
        assert.equal(dependency.artifacts.length, 1);
        assert.equal(dependency.artifacts[0].content, detailedWork(depSpec));
        assert.deepEqual(dependency.artifacts[0].file_paths, [`work/${depSpec.key}.md`]);
        assert.equal(dependency.content_truncated, false);
      }

      const file = `work/${spec.key}.md`;
      writeFileSync(join(workspace, file), detailedWork(spec));
      const artifactType = ARTIFACT_TYPE[spec.task_type ?? "standard"];
      const before = readyNow();
      const completion = await call(client, "orchestrator_complete_task", {
        task_id: readyTask.task_id,
        agent_id: AGENT,
        lease_token: execution.lease.lease_token,
        summary: `Completed: ${spec.title}`,
        detailed_work: detailedWork(spec),
        file_paths: [file],
        artifact_type: artifactType,
        next_action: "continue",
      });
      completed.add(spec.key);
      completionOrder.push(spec.key);
      assert.equal(completion.action, "continue");
      assert.equal(completion.task.status, "completed");
      assert.equal(completion.task.result_summary, `Completed: ${spec.title}`);
      assert.equal(completion.artifact.task_id, readyTask.task_id);
      assert.equal(completion.artifact.artifact_type, artifactType);
      assert.equal(completion.artifact.summary, `Completed: ${spec.title}`);
      assert.deepEqual(completion.artifact.file_paths, [file]);
      assert.equal(completion.artifact.content_hash, sha256(detailedWork(spec)));
      assert.equal(completion.artifact.content_length, detailedWork(spec).length);
      assert.equal(completion.artifact.created_by, AGENT);
      assert.equal(completion.artifact.content, null);
      // newly_ready_tasks are exactly the tasks this completion unlocked.
      const unlocked = readyNow().filter((id) => !before.includes(id));
      assert.deepEqual(completion.newly_ready_tasks.map((task) => task.task_id).sort(), unlocked.sort(), `newly ready after ${spec.key}`);
      for (const task of completion.newly_ready_tasks) assert.equal(task.status, "pending");
      assert.deepEqual(completion.parent_progress, {
        parent_task_id: rootId,
        title: "Ship release 1.0",
        total_subtasks: 20,
        completed_subtasks: completed.size,
        ended_subtasks: completed.size,
        percent_complete: Math.floor((completed.size * 100) / 20),
        all_subtasks_ended: completed.size === 20,
      });
    }
  }

  // Every task started only after all of its dependencies had completed: by our order and by the server's clocks.
  const tasks = (await call(client, "orchestrator_query_tasks", { parent_task_id: rootId, limit: 50 })).tasks;
  assert.equal(tasks.length, 20);
  const byKey = new Map(tasks.map((task) => [specOf.get(task.task_id).key, task]));
  for (const spec of PLAN) {
    const task = byKey.get(spec.key);
    assert.equal(task.status, "completed");
    for (const dep of spec.dependencies) {
      assert.ok(completionOrder.indexOf(dep) < startOrder.indexOf(spec.key), `${dep} completed before ${spec.key} started`);
      assert.ok(Date.parse(byKey.get(dep).completed_at) <= Date.parse(task.started_at), `server clock: ${dep} completed before ${spec.key} started`);
    }
  }
  assert.deepEqual(startOrder, completionOrder);

  const synthesis = await call(client, "orchestrator_synthesize_results", { parent_task_id: rootId });
  assert.equal(synthesis.parent.task_id, rootId);
  assert.equal(synthesis.total_subtasks, 20);
  assert.equal(synthesis.status_counts.completed, 20);
  for (const [status, count] of Object.entries(synthesis.status_counts)) {
    if (status !== "completed") assert.equal(count, 0, `status_counts.${status}`);
  }
  assert.equal(synthesis.success_rate, 1);
  assert.equal(synthesis.completion_rate, 1);
  assert.equal(synthesis.artifacts.length, 20);
  assert.deepEqual(synthesis.artifacts.map((a) => a.task_id).sort(), [...idOf.values()].sort());
  assert.deepEqual(synthesis.key_outcomes.map((o) => specOf.get(o.task_id).key), completionOrder, "key outcomes in completion order");
  for (const outcome of synthesis.key_outcomes) {
    assert.equal(outcome.summary, `Completed: ${specOf.get(outcome.task_id).title}`);
    assert.equal(outcome.artifact_ids.length, 1);
  }
  assert.deepEqual(synthesis.remaining, []);
  assert.ok(synthesis.timeline.length > 0, "timeline non-empty");
  for (let i = 1; i < synthesis.timeline.length; i++) {
    assert.ok(synthesis.timeline[i - 1].sequence < synthesis.timeline[i].sequence, "timeline oldest first");
  }
  assert.ok(synthesis.timeline.some((event) => event.task_id === idOf.get("deploy-prod") && event.to === "completed"));
  for (const spec of PLAN) assert.ok(synthesis.report_markdown.includes(spec.title), `report mentions '${spec.title}'`);

  // Finally the root itself.
  const rootExecution = await call(client, "orchestrator_execute_task", { task_id: rootId, agent_id: AGENT });
  assert.equal(rootExecution.task.status, "in_progress");
  assert.equal(rootExecution.parent_context, null);
  assert.equal(rootExecution.subtasks.length, 20);
  const rootCompletion = await call(client, "orchestrator_complete_task", {
    task_id: rootId,
    agent_id: AGENT,
    lease_token: rootExecution.lease.lease_token,
    summary: "Release 1.0 shipped",
    detailed_work: synthesis.report_markdown,
    artifact_type: "report",
    next_action: "complete",
  });
  assert.equal(rootCompletion.task.status, "completed");
  assert.equal(rootCompletion.action, "complete");
  assert.equal(rootCompletion.parent_progress, null);
  assert.deepEqual(rootCompletion.newly_ready_tasks, []);
  assert.equal(rootCompletion.artifact.artifact_type, "report");

  const status = await call(client, "orchestrator_get_status", {});
  assert.equal(status.total_tasks, 21);
  assert.equal(status.counts_by_status.completed, 21);
  assert.equal(status.ready_total, 0);
  assert.equal(status.active_total, 0);
});
