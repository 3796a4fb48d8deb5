// The MCP conformance suite (@modelcontextprotocol/conformance, pinned in package.json) against the
// real server's /mcp over HTTP. The scenarios run here are the ones that apply to this server as it
// is: the handshake, ping, logging, tool listing, concurrent POST streams and DNS-rebinding protection.
// The others call fixed fixture names (test_simple_text, test_prompt, test://static-text, ...) that
// a task orchestrator does not have; see docs/operations.md.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { PACKAGE_ROOT, freshWorkspace } from "./support/server.mjs";
import { startHttpServer } from "./support/http-server.mjs";

const CLI = join(PACKAGE_ROOT, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

export const SCENARIOS = Object.freeze(["server-initialize", "ping", "logging-set-level", "tools-list", "server-sse-multiple-streams", "dns-rebinding-protection"]);

function runScenario(url, scenario) {
  const cwd = mkdtempSync(join(tmpdir(), "to-conformance-"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "server", "--url", url, "--scenario", scenario], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`conformance scenario ${scenario} timed out:\n${output}`));
    }, 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(cwd, { recursive: true, force: true });
      resolve({ code, output });
    });
  });
}

test("the MCP conformance suite's protocol and DNS-rebinding scenarios pass against the real server's /mcp", { timeout: 240_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const server = await startHttpServer(t, workspace);
  // The suite requires a localhost URL for the DNS-rebinding scenario; the server listens on 127.0.0.1.
  const url = server.url.replace("127.0.0.1", "localhost");
  for (const scenario of SCENARIOS) {
    const { code, output } = await runScenario(url, scenario);
    const passed = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(output);
    assert.ok(passed, `scenario ${scenario} printed no result:\n${output}`);
    assert.equal(passed[3], "0", `scenario ${scenario} failed:\n${output}`);
    assert.equal(passed[1], passed[2], `scenario ${scenario}: not every check passed:\n${output}`);
    assert.equal(code, 0, `scenario ${scenario} exited with ${code}:\n${output}`);
  }
});
