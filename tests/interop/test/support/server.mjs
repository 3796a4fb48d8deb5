// Shared plumbing for the interop tests: where the built server is, a fresh workspace per test, a
// connected TypeScript MCP client, and tool-call helpers that fail with the server's own words.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

/** The interop package root (tests/interop). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The built server: TASK_ORCHESTRATOR_DLL, else the Release build next to this package. */
export const DLL = resolve(
  process.env.TASK_ORCHESTRATOR_DLL ||
    join(PACKAGE_ROOT, "..", "..", "src", "TaskOrchestrator.Server", "bin", "Release", "net10.0", "task-orchestrator.dll"),
);

if (!existsSync(DLL)) {
  // Thrown at import so that every test file fails at once with this message instead of timing out.
  throw new Error(
    `The built server was not found at ${DLL}. Build it first ` +
      "(cd <repo> && dotnet build TaskOrchestrator.slnx -c Release) or point TASK_ORCHESTRATOR_DLL at task-orchestrator.dll.",
  );
}

/** The tools the server must list: 16 task and session tools, 3 claim tools, 5 server-operations tools. */
export const EXPECTED_TOOLS = Object.freeze([
  "orchestrator_initialize_session",
  "orchestrator_plan_task",
  "orchestrator_update_task",
  "orchestrator_delete_task",
  "orchestrator_cancel_task",
  "orchestrator_query_tasks",
  "orchestrator_execute_task",
  "orchestrator_complete_task",
  "orchestrator_synthesize_results",
  "orchestrator_get_status",
  "orchestrator_maintenance_coordinator",
  "orchestrator_validate_dependencies",
  "orchestrator_list_sessions",
  "orchestrator_resume_session",
  "orchestrator_cleanup_sessions",
  "orchestrator_session_status",
  "orchestrator_health_check",
  "orchestrator_shutdown_prepare",
  "orchestrator_restart_server",
  "orchestrator_restart_status",
  "orchestrator_reconnect_test",
  "orchestrator_claim_next_task",
  "orchestrator_heartbeat",
  "orchestrator_release_task",
  "orchestrator_register_agent",
  "orchestrator_agent_status",
]);

/** The environment a server child gets: ours, without a workspace override, so --workspace decides. */
export function serverEnv() {
  const env = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_NOLOGO: "1" };
  delete env.TASK_ORCHESTRATOR_WORKSPACE;
  return env;
}

/** The command line that serves a workspace over stdio. */
export function serverArgs(workspace, ...extra) {
  return [DLL, "--workspace", workspace, ...extra];
}

/**
 * A fresh, canonical temporary workspace folder, removed when the test ends.
 * @param {import("node:test").TestContext} t
 */
export function freshWorkspace(t) {
  const folder = realpathSync(mkdtempSync(join(tmpdir(), "to-interop-")));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/**
 * Starts the server on a workspace and connects the official TypeScript client to it. The client
 * lists the tools once, so that every later result is validated against the tool's output schema.
 * The connection is closed when the test ends (closing it twice is harmless).
 * @param {import("node:test").TestContext} t
 */
export async function connect(t, workspace, { name = "interop-tests", extraArgs = [] } = {}) {
  const transport = new StdioClientTransport({
    command: "dotnet",
    args: serverArgs(workspace, ...extraArgs),
    cwd: workspace,
    env: serverEnv(),
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  const session = {
    client,
    transport,
    tools,
    pid: transport.pid,
    stderr: () => stderr,
    close: async () => {
      await client.close();
    },
  };
  t.after(() => session.close());
  return session;
}

/** Calls a tool that must succeed; returns its structured content. */
export async function call(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) {
    assert.fail(`${name} failed: ${JSON.stringify(result.structuredContent ?? result.content)}`);
  }
  assert.ok(result.structuredContent, `${name} returned no structuredContent`);
  assert.equal(result.content?.[0]?.type, "text", `${name} returned no text rendering`);
  return result.structuredContent;
}

/** Calls a tool that must succeed; returns the whole CallToolResult. */
export async function callRaw(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) {
    assert.fail(`${name} failed: ${JSON.stringify(result.structuredContent ?? result.content)}`);
  }
  return result;
}

/** Calls a tool that must fail with a tool error; returns structuredContent.error. */
export async function callError(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.isError, true, `${name} should have failed but returned ${JSON.stringify(result.structuredContent)}`);
  const error = result.structuredContent?.error;
  assert.ok(error, `${name} error has no structuredContent.error: ${JSON.stringify(result)}`);
  assert.equal(typeof error.code, "string");
  assert.equal(typeof error.message, "string");
  assert.ok(error.message.length > 0);
  assert.ok(result.content?.[0]?.text?.startsWith(`Error (${error.code}): `), `text rendering: ${result.content?.[0]?.text}`);
  return error;
}

/** Every task of the workspace (archived included), by id. */
export async function allTasks(client, extra = {}) {
  const tasks = new Map();
  let offset = 0;
  for (;;) {
    const page = await call(client, "orchestrator_query_tasks", { include_archived: true, limit: 500, offset, ...extra });
    for (const task of page.tasks) tasks.set(task.task_id, task);
    if (!page.has_more) return tasks;
    offset = page.next_offset;
  }
}
