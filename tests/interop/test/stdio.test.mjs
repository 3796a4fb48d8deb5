// The stdio contract at the byte level: the server writes nothing but JSON-RPC messages to stdout,
// even with debug logging, and ends cleanly when the client closes stdin.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { EXPECTED_TOOLS, freshWorkspace, serverArgs, serverEnv } from "./support/server.mjs";

/** A server child speaking newline-delimited JSON-RPC, with every stdout line kept raw. */
function startRaw(t, args, cwd) {
  const child = spawn("dotnet", args, { cwd, env: serverEnv(), stdio: ["pipe", "pipe", "pipe"] });
  const state = { stdout: "", stderr: "", lines: [], waiters: [], exit: null };
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve((state.exit = { code, signal }))));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk) => {
    state.stdout += chunk;
    const parts = state.stdout.split("\n");
    state.lines = parts.slice(0, -1);
    for (const waiter of [...state.waiters]) waiter();
  });
  child.stderr.on("data", (chunk) => (state.stderr += chunk));
  t.after(() => {
    if (state.exit === null) child.kill("SIGKILL");
  });
  /** Waits for the response with this id, parsing stdout lines as they come. */
  const response = (id, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        for (const line of state.lines) {
          let message;
          try {
            message = JSON.parse(line);
          } catch {
            continue; // judged later, with every line
          }
          if (message.id === id && ("result" in message || "error" in message)) {
            state.waiters = state.waiters.filter((w) => w !== check);
            clearTimeout(timer);
            resolve(message);
            return;
          }
        }
      };
      const timer = setTimeout(() => reject(new Error(`no response to id ${id}; stdout so far:\n${state.stdout}\nstderr:\n${state.stderr}`)), timeoutMs);
      state.waiters.push(check);
      check();
    });
  const send = (message) => child.stdin.write((typeof message === "string" ? message : JSON.stringify(message)) + "\n");
  return { child, state, exited, response, send };
}

test("stdout carries only JSON-RPC, even with debug logging; end of stdin stops the server with exit code 0", { timeout: 60_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const server = startRaw(t, serverArgs(workspace, "--log-level", "debug"), workspace);

  server.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw-stdio", version: "1.0.0" } } });
  const initialized = await server.response(1);
  assert.equal(initialized.result.serverInfo.name, "task-orchestrator");
  assert.ok(initialized.result.protocolVersion);
  assert.ok(initialized.result.capabilities.tools);
  server.send({ jsonrpc: "2.0", method: "notifications/initialized" });

  server.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  assert.equal((await server.response(2)).result.tools.length, EXPECTED_TOOLS.length);

  server.send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "orchestrator_initialize_session", arguments: { session_name: "raw" } } });
  const session = (await server.response(3)).result;
  assert.notEqual(session.isError, true);
  assert.match(session.structuredContent.session_id, /^ses_/);
  // Beside the structured content, a short text rendering for clients that only read text.
  assert.equal(session.content[0].type, "text");
  assert.ok(session.content[0].text.includes(session.structuredContent.session_id));

  server.send({
    jsonrpc: "2.0",
    id: 4,
    method: "tools/call",
    params: { name: "orchestrator_plan_task", arguments: { title: "Raw plan", session_id: session.structuredContent.session_id, subtasks: [{ key: "a", title: "A" }, { title: "B", dependencies: ["a"] }] } },
  });
  const plan = (await server.response(4)).result;
  assert.equal(plan.structuredContent.created_count, 3);

  // A tool error is a result, not a protocol error.
  server.send({ jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "orchestrator_execute_task", arguments: { task_id: "task_missing" } } });
  const missing = (await server.response(5)).result;
  assert.equal(missing.isError, true);
  assert.equal(missing.structuredContent.error.code, "not_found");

  // An unknown tool is answered (as a protocol error or a tool error), and the server carries on.
  server.send({ jsonrpc: "2.0", id: 6, method: "tools/call", params: { name: "orchestrator_no_such_tool", arguments: {} } });
  const unknownTool = await server.response(6);
  assert.ok(unknownTool.error || unknownTool.result?.isError === true, JSON.stringify(unknownTool));

  // A line that is not JSON does not bring the server down.
  server.send("this is not json");
  server.send({ jsonrpc: "2.0", id: 7, method: "ping" });
  assert.deepEqual((await server.response(7)).result, {});

  server.child.stdin.end();
  const exit = await server.exited;
  assert.deepEqual(exit, { code: 0, signal: null }, `exit after end of stdin; stderr:\n${server.state.stderr}`);

  // Every byte on stdout was a JSON-RPC message, one per line.
  assert.ok(server.state.stdout.endsWith("\n"), "stdout ends with a complete line");
  const lines = server.state.stdout.slice(0, -1).split("\n");
  assert.ok(lines.length >= 7);
  const ids = [];
  for (const line of lines) {
    let message;
    assert.doesNotThrow(() => (message = JSON.parse(line)), `stdout line is not JSON: ${line}`);
    assert.equal(message.jsonrpc, "2.0", `not JSON-RPC 2.0: ${line}`);
    assert.ok("result" in message || "error" in message || typeof message.method === "string", `not a JSON-RPC message: ${line}`);
    if ("id" in message && !("method" in message)) ids.push(message.id);
    if (message.id === null) assert.equal(message.error?.code, -32700, `a response without id can only be a parse error: ${line}`);
  }
  assert.deepEqual(ids.filter((id) => id !== null).sort(), [1, 2, 3, 4, 5, 6, 7], "exactly one response per request");

  // The logs went to stderr and to the workspace log folder instead.
  assert.match(server.state.stderr, /serving MCP over stdio/);
  assert.match(server.state.stderr, /stopped/);
  const logFolder = join(workspace, ".task-orchestrator", "logs");
  assert.ok(existsSync(logFolder));
  const logs = readdirSync(logFolder).map((name) => readFileSync(join(logFolder, name), "utf8")).join("\n");
  assert.match(logs, /serving MCP over stdio/);
});

test("a workspace that does not exist is refused on stderr with exit code 2 and nothing on stdout", { timeout: 30_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const missing = join(workspace, "does", "not", "exist");
  const server = startRaw(t, serverArgs(missing), workspace);
  server.child.stdin.end();
  const exit = await server.exited;
  assert.deepEqual(exit, { code: 2, signal: null });
  assert.equal(server.state.stdout, "");
  assert.match(server.state.stderr, /Pass --workspace with an existing folder/);
});
