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

// Resumability ("Resumability and Redelivery" of Streamable HTTP) against the real server: every stream
// starts with a priming event (an id, empty data, a retry hint); the standalone server stream can be
// resumed with Last-Event-ID although a second plain GET is refused; a stream whose response was
// delivered, or an id the session never issued, is refused with 400 (not 404, which would make the
// client drop its session). Replaying a missed response is the conformance suite's server-sse-polling
// scenario, run on the fixture host through this same endpoint code.
test("over HTTP every stream is primed with an event id and a retry hint, the server stream resumes with Last-Event-ID, and ids the session does not hold get 400", { timeout: 90_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const server = await startHttpServer(t, workspace);
  const post = (headers, body) =>
    fetch(server.url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream", ...headers }, body: JSON.stringify(body) });
  const events = (text) =>
    text
      .split("\n\n")
      .filter((block) => block.trim().length > 0)
      .map((block) => Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()])));

  const init = await post({}, { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "resume-test", version: "1.0.0" } } });
  assert.equal(init.status, 200);
  const sessionId = init.headers.get("mcp-session-id");
  const [priming, initialized] = events(await init.text());
  assert.match(priming.id, /^[0-9a-f]{8}\.1\.1$/, "EPOCH.STREAM.SEQ");
  assert.equal(priming.data, "");
  assert.equal(priming.retry, "1000");
  assert.equal(initialized.id, priming.id.replace(/\.1$/, ".2"));
  assert.equal(JSON.parse(initialized.data).result.protocolVersion, "2025-11-25");
  const epoch = priming.id.split(".")[0];

  const session = { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-11-25" };
  assert.equal((await post(session, { jsonrpc: "2.0", method: "notifications/initialized" })).status, 202);
  const listed = events(await (await post(session, { jsonrpc: "2.0", id: 2, method: "tools/list" })).text());
  assert.deepEqual(listed.map((e) => e.id), [`${epoch}.2.1`, `${epoch}.2.2`]);
  assert.equal(JSON.parse(listed[1].data).result.tools.length, EXPECTED_TOOLS.length);

  const get = (headers, signal) => fetch(server.url, { method: "GET", headers: { Accept: "text/event-stream", ...session, ...headers }, signal });
  const refused = async (lastEventId) => {
    const response = await get({ "last-event-id": lastEventId });
    assert.equal(response.status, 400, `Last-Event-ID ${lastEventId}`);
    const body = await response.json();
    assert.equal(body.error.data.code, "unknown_event_id");
    assert.match(body.error.message, new RegExp(`Last-Event-ID '${lastEventId.replace(/\./g, "\\.")}' names no event this session still holds`));
  };
  // The tools/list response was delivered on its POST, so its stream is not kept.
  await refused(`${epoch}.2.1`);
  await refused(`00000000.2.1`);
  await refused("not-an-event-id");

  // The server stream: opened, primed, dropped by the client, then resumed from its priming event.
  const firstChunk = async (headers) => {
    const abort = new AbortController();
    const response = await get(headers, abort.signal);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream");
    const reader = response.body.getReader();
    let text = "";
    while (!text.includes("\n\n")) {
      const { value, done } = await reader.read();
      assert.equal(done, false, `the stream ended early: ${JSON.stringify(text)}`);
      text += new TextDecoder().decode(value);
    }
    abort.abort();
    return text;
  };
  const [streamPriming] = events(await firstChunk({}));
  assert.equal(streamPriming.id, `${epoch}.3.1`);
  assert.equal(streamPriming.retry, "1000");
  assert.equal((await get({})).status, 409, "one plain server stream per session");
  assert.equal(await firstChunk({ "last-event-id": streamPriming.id }), "retry: 1000\n\n");
});
