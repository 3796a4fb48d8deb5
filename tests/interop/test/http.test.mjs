// The HTTP transport with the official TypeScript client's StreamableHTTPClientTransport and the MCP
// Inspector CLI (--transport http), against the built server started with `serve --http`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { EXPECTED_TOOLS, PACKAGE_ROOT, call, freshWorkspace, serverEnv } from "./support/server.mjs";
import { connectHttp, startHttpServer } from "./support/http-server.mjs";

test("over HTTP the TypeScript client initializes, lists every tool, runs a session, plan, query and complete flow, and DELETE ends the session", { timeout: 90_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const server = await startHttpServer(t, workspace);
  const { client, transport, tools } = await connectHttp(t, server.url);

  assert.deepEqual(tools.map((tool) => tool.name).sort(), [...EXPECTED_TOOLS].sort());
  assert.equal(client.getServerVersion().name, "task-orchestrator");
  const sessionId = transport.sessionId;
  assert.match(sessionId, /^[A-Za-z0-9_-]{43}$/, "a 256-bit random base64url session id");

  const session = await call(client, "orchestrator_initialize_session", { working_directory: workspace, session_name: "http interop" });
  assert.ok(session.session_id);
  const plan = await call(client, "orchestrator_plan_task", {
    title: "Ship the HTTP transport",
    description: "Plan made over Streamable HTTP",
    subtasks: [
      { key: "a", title: "Write the endpoint", description: "POST, GET, DELETE", specialist_type: "implementer" },
      { key: "b", title: "Test the endpoint", description: "With the official client", specialist_type: "tester", dependencies: ["a"] },
    ],
  });
  const [write, check] = plan.subtasks.map((subtask) => subtask.task_id);
  const ready = await call(client, "orchestrator_query_tasks", { ready_only: true, sort: "priority" });
  assert.ok(ready.tasks.some((task) => task.task_id === write), `the first subtask is ready: ${JSON.stringify(ready.tasks.map((task) => task.title))}`);
  assert.ok(!ready.tasks.some((task) => task.task_id === check), "the dependent subtask waits");
  const { lease } = await call(client, "orchestrator_execute_task", { task_id: write, agent_id: "http-agent" });
  const done = await call(client, "orchestrator_complete_task", { task_id: write, agent_id: "http-agent", lease_token: lease.lease_token, summary: "Endpoint written", detailed_work: "POST, GET and DELETE on /mcp", next_action: "continue" });
  assert.equal(done.task.status, "completed");
  const after = await call(client, "orchestrator_query_tasks", { ready_only: true });
  assert.ok(after.tasks.some((task) => task.task_id === check), "completing the first made the second ready");

  await transport.terminateSession();
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
  });
  assert.equal(response.status, 404, "the ended session is not found");
  const body = await response.json();
  assert.equal(body.error.code, -32001);
  assert.equal(body.id, 9);
});

test("the MCP Inspector CLI lists the tools and calls one over --transport http", { timeout: 90_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const server = await startHttpServer(t, workspace);
  const bin = join(PACKAGE_ROOT, "node_modules", "@modelcontextprotocol", "inspector", "cli", "build", "cli.js");
  const run = (...args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "--cli", server.url, "--transport", "http", ...args], { cwd: PACKAGE_ROOT, env: serverEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`inspector timed out\n${stderr}`));
      }, 45_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        assert.equal(code, 0, `inspector ${args.join(" ")} exited with ${code}:\n${stderr}\n${stdout}`);
        resolve(JSON.parse(stdout));
      });
    });

  const listed = await run("--method", "tools/list");
  assert.deepEqual(listed.tools.map((tool) => tool.name).sort(), [...EXPECTED_TOOLS].sort());
  const status = await run("--method", "tools/call", "--tool-name", "orchestrator_initialize_session", "--tool-arg", `working_directory=${workspace}`, "--tool-arg", "session_name=inspector-http");
  assert.notEqual(status.isError, true, JSON.stringify(status));
  assert.ok(status.structuredContent.session_id);
});
