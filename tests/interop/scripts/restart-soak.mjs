#!/usr/bin/env node
// Restart soak, run as a user would: connects the official TypeScript MCP client to the server as
// the README starts it (bash scripts/serve.sh), keeps calling tools from three callers while the
// server is restarted three times and its worker killed twice, then checks every call was answered
// exactly once on the same session and that restart history holds the five events.
//
//   node tests/interop/scripts/restart-soak.mjs [--workspace DIR] [--restarts N] [--kills N]
//
// Without --workspace a temporary folder is used and removed afterwards. Exit code 0 when every
// check holds, 1 otherwise.
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { PACKAGE_ROOT } from "../test/support/server.mjs";
import { countAnswers, restartSoak } from "../test/support/soak.mjs";

const { values } = parseArgs({
  options: {
    workspace: { type: "string" },
    restarts: { type: "string", default: "3" },
    kills: { type: "string", default: "2" },
  },
});
const restarts = Number(values.restarts);
const kills = Number(values.kills);
const temporary = values.workspace === undefined;
const workspace = temporary ? realpathSync(mkdtempSync(join(tmpdir(), "to-soak-"))) : resolve(values.workspace);
const serve = resolve(PACKAGE_ROOT, "..", "..", "scripts", "serve.sh");

// Publish first if the sources changed: a first publish takes longer than a client waits for initialize.
if (spawnSync("bash", [serve, "--publish-only"], { stdio: "inherit" }).status !== 0) {
  console.error("FAIL publishing the server (bash scripts/serve.sh --publish-only)");
  process.exit(1);
}

const transport = new StdioClientTransport({ command: "bash", args: [serve, "--workspace", workspace, "--log-level", "warning"], stderr: "inherit" });
const client = new Client({ name: "restart-soak", version: "1.0.0" });
let failed = false;
try {
  await client.connect(transport);
  await client.listTools();
  const answers = countAnswers(transport);
  const run = await restartSoak(client, { restarts, kills, log: (line) => console.log(line) });
  const history = run.history.map((entry) => `${entry.kind}:${entry.outcome}`);
  const checks = [
    [`every request answered exactly once (${answers.sent()} requests)`, answers.notAnsweredOnce().length === 0],
    [`the same session throughout (${run.sessionId})`, run.currentSessionId === run.sessionId],
    [`every planned task exists once (${run.tally.planned.size} planned, ${run.listed} listed)`, run.listed === run.tally.planned.size],
    [`${restarts + kills} entries in restart history (${history.join(", ")})`, run.history.length >= restarts + kills],
  ];
  console.log(`${run.tally.calls} tool calls, ${run.tally.interrupted} writes interrupted by a kill and retried with their idempotency key`);
  for (const [what, ok] of checks) {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    failed ||= !ok;
  }
} catch (error) {
  console.error(`FAIL ${error.stack ?? error}`);
  failed = true;
} finally {
  await client.close();
  if (temporary) {
    rmSync(workspace, { recursive: true, force: true });
  }
}

process.exit(failed ? 1 : 0);
