// The MCP Inspector CLI against the built server. Every inspector invocation spawns its own server
// process, so a lifecycle across invocations also shows that state lives in the workspace database.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { EXPECTED_TOOLS, PACKAGE_ROOT, freshWorkspace, serverArgs, serverEnv } from "./support/server.mjs";

/** Process groups still running; killed if this test file ends (or times out) before they do. */
const liveGroups = new Set();
const killGroup = (pid) => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
};
process.on("exit", () => liveGroups.forEach(killGroup));

/**
 * Runs a command in its own process group, so that on a timeout the whole tree (npx, the inspector,
 * the server it spawned) is killed, not only the first process. Resolves with exit code, stdout and stderr.
 */
function runGroup(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    liveGroups.add(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${command} ${args.join(" ")} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The inspector's `mcp-inspector` bin: what `npx @modelcontextprotocol/inspector` runs from this package. */
const INSPECTOR_BIN = join(PACKAGE_ROOT, "node_modules", "@modelcontextprotocol", "inspector", "cli", "build", "cli.js");

/**
 * Runs the inspector in CLI mode against the built server (`--cli dotnet task-orchestrator.dll
 * --workspace <dir> --method ...`) and parses its JSON output. Tool arguments are [key, value] pairs,
 * each passed as `--tool-arg key=value`. With viaNpx the documented command line is used
 * (`npx --no -- @modelcontextprotocol/inspector ...`: the pinned, installed inspector, never a
 * download; "--" keeps npx from reading --cli as an npm setting); otherwise the same bin is run with
 * node directly, which spares every invocation npm's start-up.
 */
async function inspector(workspace, method, { tool, args = [], viaNpx = false } = {}) {
  const cliArgs = ["--cli", "dotnet", ...serverArgs(workspace), "--method", method];
  if (tool) cliArgs.push("--tool-name", tool);
  for (const [key, value] of args) cliArgs.push("--tool-arg", `${key}=${value}`);
  const [command, argv] = viaNpx
    ? ["npx", ["--no", "--", "@modelcontextprotocol/inspector", ...cliArgs]]
    : [process.execPath, [INSPECTOR_BIN, ...cliArgs]];
  const { code, stdout, stderr } = await runGroup(command, argv, { cwd: PACKAGE_ROOT, env: serverEnv(), timeoutMs: 45_000 });
  assert.equal(code, 0, `inspector ${method} ${tool ?? ""} exited with ${code}:\n${stderr}\n${stdout}`);
  try {
    return JSON.parse(stdout);
  } catch {
    assert.fail(`inspector ${method} ${tool ?? ""} printed something other than JSON:\n${stdout}\n${stderr}`);
  }
}

/** A tools/call through the inspector that must succeed; returns its structured content. */
async function inspectorCall(workspace, tool, args) {
  const result = await inspector(workspace, "tools/call", { tool, args });
  assert.notEqual(result.isError, true, `${tool} failed through the inspector: ${JSON.stringify(result.structuredContent ?? result.content)}`);
  assert.equal(result.content?.[0]?.type, "text");
  assert.ok(result.structuredContent, `${tool} returned no structuredContent`);
  return result.structuredContent;
}

test("inspector CLI: tools/list against the built server lists every tool", { timeout: 60_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const { tools } = await inspector(workspace, "tools/list", { viaNpx: true });
  assert.deepEqual(tools.map((tool) => tool.name).sort(), [...EXPECTED_TOOLS].sort());
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, "object", tool.name);
    assert.equal(tool.outputSchema.type, "object", tool.name);
    assert.ok(tool.title, `${tool.name} has a title`);
    assert.equal(tool.annotations?.openWorldHint, false, tool.name);
  }
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  assert.deepEqual(byName.get("orchestrator_plan_task").inputSchema.required, ["title"]);
  assert.deepEqual(byName.get("orchestrator_complete_task").inputSchema.required, ["task_id", "summary"]);
  for (const name of ["orchestrator_query_tasks", "orchestrator_get_status", "orchestrator_synthesize_results", "orchestrator_list_sessions", "orchestrator_session_status", "orchestrator_validate_dependencies"]) {
    assert.equal(byName.get(name).annotations.readOnlyHint, true, name);
  }
  for (const name of ["orchestrator_delete_task", "orchestrator_cancel_task", "orchestrator_cleanup_sessions"]) {
    assert.equal(byName.get(name).annotations.destructiveHint, true, name);
  }
  assert.equal(byName.get("orchestrator_plan_task").annotations.destructiveHint, false);
});

test("inspector CLI: a lifecycle across separate invocations, each a new server process", { timeout: 120_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const session = await inspectorCall(workspace, "orchestrator_initialize_session", [["session_name", "Inspector session"]]);
  assert.match(session.session_id, /^ses_/);
  assert.equal(session.session_name, "Inspector session");
  assert.equal(session.workspace.root, workspace);
  assert.equal(session.workspace.resolved_from, "--workspace");

  // This lifecycle builds the tree one task at a time with parent_task_id (plain string arguments);
  // the next test passes the whole tree as one JSON --tool-arg.
  const root = await inspectorCall(workspace, "orchestrator_plan_task", [
    ["title", "Inspector plan"],
    ["task_type", "breakdown"],
    ["priority", "high"],
    ["session_id", session.session_id],
  ]);
  assert.equal(root.status, "pending");
  assert.equal(root.task.priority, "high");
  assert.equal(root.task.specialist_type, "coordinator");
  assert.equal(root.task.session_id, session.session_id);
  const parser = await inspectorCall(workspace, "orchestrator_plan_task", [
    ["title", "Write the parser"],
    ["task_type", "implementation"],
    ["priority", "critical"],
    ["parent_task_id", root.task_id],
    ["session_id", session.session_id],
  ]);
  const tests = await inspectorCall(workspace, "orchestrator_plan_task", [
    ["title", "Test the parser"],
    ["task_type", "testing"],
    ["parent_task_id", root.task_id],
    ["session_id", session.session_id],
  ]);
  assert.equal(parser.task.parent_task_id, root.task_id);
  assert.equal(parser.task.specialist_type, "implementer");
  assert.equal(tests.task.parent_task_id, root.task_id);

  // Booleans and integers are converted by the inspector from the schema; the plan persisted.
  const ready = await inspectorCall(workspace, "orchestrator_query_tasks", [
    ["ready_only", "true"],
    ["sort", "priority"],
    ["parent_task_id", root.task_id],
    ["limit", "10"],
  ]);
  assert.deepEqual(ready.tasks.map((task) => task.task_id), [parser.task_id, tests.task_id], "critical before medium");
  assert.equal(ready.filters_applied.ready_only, true);
  assert.equal(ready.filters_applied.limit, 10);

  const execution = await inspectorCall(workspace, "orchestrator_execute_task", [["task_id", parser.task_id], ["agent_id", "inspector-agent"]]);
  assert.equal(execution.task.status, "in_progress");
  assert.equal(execution.task.assigned_agent, "inspector-agent");
  assert.equal(execution.specialist.name, "implementer");
  assert.equal(execution.parent_context.task_id, root.task_id);
  const work = "A recursive-descent parser with error recovery.";
  const completion = await inspectorCall(workspace, "orchestrator_complete_task", [
    ["task_id", parser.task_id],
    ["agent_id", "inspector-agent"],
    ["lease_token", execution.lease.lease_token],
    ["summary", "Parser written"],
    ["detailed_work", work],
    ["artifact_type", "code"],
    ["next_action", "continue"],
  ]);
  assert.equal(completion.task.status, "completed");
  assert.equal(completion.action, "continue");
  assert.equal(completion.artifact.artifact_type, "code");
  assert.equal(completion.artifact.content_length, work.length);
  assert.deepEqual(completion.parent_progress, {
    parent_task_id: root.task_id,
    title: "Inspector plan",
    total_subtasks: 2,
    completed_subtasks: 1,
    ended_subtasks: 1,
    percent_complete: 50,
    all_subtasks_ended: false,
  });

  const synthesis = await inspectorCall(workspace, "orchestrator_synthesize_results", [["parent_task_id", root.task_id]]);
  assert.equal(synthesis.parent.task_id, root.task_id);
  assert.equal(synthesis.total_subtasks, 2);
  assert.equal(synthesis.status_counts.completed, 1);
  assert.equal(synthesis.status_counts.pending, 1);
  assert.equal(synthesis.success_rate, 1);
  assert.equal(synthesis.completion_rate, 0.5);
  assert.deepEqual(synthesis.artifacts.map((a) => [a.task_id, a.artifact_type, a.summary]), [[parser.task_id, "code", "Parser written"]]);
  assert.deepEqual(synthesis.key_outcomes.map((o) => [o.task_id, o.summary]), [[parser.task_id, "Parser written"]]);
  assert.deepEqual(synthesis.remaining.map((r) => r.task_id), [tests.task_id]);
  assert.ok(synthesis.timeline.length > 0);
  assert.ok(synthesis.report_markdown.includes("Write the parser") && synthesis.report_markdown.includes("Test the parser"));
});

test(
  "inspector CLI: a plan of 20 interdependent subtasks in one JSON --tool-arg, executed in dependency order, completed with artifacts, synthesized",
  {
    timeout: 300_000,
  },
  async (t) => {
    const workspace = freshWorkspace(t);
    const session = await inspectorCall(workspace, "orchestrator_initialize_session", [["session_name", "Inspector plan of 20"]]);

    // Five layers of four; each task waits for two tasks of the layer before it (fan-in and fan-out).
    const subtasks = [];
    for (let layer = 0; layer < 5; layer++) {
      for (let i = 0; i < 4; i++) {
        const dependencies = layer === 0 ? [] : [`l${layer - 1}t${i}`, `l${layer - 1}t${(i + 1) % 4}`];
        subtasks.push({ key: `l${layer}t${i}`, title: `Layer ${layer} task ${i}`, task_type: "implementation", dependencies });
      }
    }
    const plan = await inspectorCall(workspace, "orchestrator_plan_task", [
      ["title", "Inspector plan"],
      ["session_id", session.session_id],
      ["subtasks", JSON.stringify(subtasks)],
    ]);
    assert.equal(plan.created_count, 21);
    const idByKey = new Map(plan.subtasks.map((s) => [s.key, s.task_id]));
    const keyById = new Map(plan.subtasks.map((s) => [s.task_id, s.key]));
    assert.deepEqual(plan.subtasks.find((s) => s.key === "l1t3").depends_on, [idByKey.get("l0t3"), idByKey.get("l0t0")]);
    assert.deepEqual(plan.ready_task_ids.sort(), [plan.task_id, ...["l0t0", "l0t1", "l0t2", "l0t3"].map((k) => idByKey.get(k))].sort());

    const completed = new Set();
    for (let round = 0; completed.size < 20; round++) {
      assert.ok(round < 5, "every layer becomes ready in turn");
      const ready = await inspectorCall(workspace, "orchestrator_query_tasks", [
        ["ready_only", "true"],
        ["parent_task_id", plan.task_id],
        ["sort", "priority"],
      ]);
      const keys = ready.tasks.map((task) => keyById.get(task.task_id)).sort();
      assert.deepEqual(keys, [0, 1, 2, 3].map((i) => `l${round}t${i}`), `round ${round} hands out exactly layer ${round}`);
      for (const task of ready.tasks) {
        const key = keyById.get(task.task_id);
        for (const dependency of subtasks.find((s) => s.key === key).dependencies) {
          assert.ok(completed.has(dependency), `${key} started only after ${dependency} completed`);
        }

        const started = await inspectorCall(workspace, "orchestrator_execute_task", [["task_id", task.task_id], ["agent_id", "inspector-agent"]]);
        assert.equal(started.task.status, "in_progress");
        assert.equal(started.specialist.name, "implementer");
        assert.equal(started.dependency_results.length, round === 0 ? 0 : 2);
        writeFileSync(join(workspace, `${key}.txt`), `work of ${key}\n`);
        const done = await inspectorCall(workspace, "orchestrator_complete_task", [
          ["task_id", task.task_id],
          ["agent_id", "inspector-agent"],
          ["lease_token", started.lease.lease_token],
          ["summary", `Did ${key}`],
          ["detailed_work", `The full work of ${key}.`],
          ["file_paths", JSON.stringify([`${key}.txt`])],
          ["artifact_type", "code"],
        ]);
        assert.equal(done.task.status, "completed");
        assert.deepEqual(done.artifact.file_paths, [`${key}.txt`]);
        completed.add(key);
      }
    }

    const synthesis = await inspectorCall(workspace, "orchestrator_synthesize_results", [["parent_task_id", plan.task_id]]);
    assert.equal(synthesis.total_subtasks, 20);
    assert.equal(synthesis.status_counts.completed, 20);
    assert.equal(synthesis.success_rate, 1);
    assert.equal(synthesis.artifacts.length, 20);
    assert.equal(synthesis.key_outcomes.length, 20);
    for (const subtask of subtasks) {
      assert.ok(synthesis.report_markdown.includes(subtask.title), subtask.title);
    }
  },
);
