// Starts the built server in HTTP mode (`serve --http --urls http://127.0.0.1:0`) and reads the URL it
// prints, so that no port is guessed. The process is killed when the test ends.
import { spawn } from "node:child_process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { join, resolve } from "node:path";
import { PACKAGE_ROOT, serverArgs, serverEnv } from "./server.mjs";

/**
 * Starts `serve --http` on a workspace; resolves with { url, base, child, stderr(), stop() } once the
 * server printed its MCP endpoint.
 * @param {import("node:test").TestContext} t
 */
export function startHttpServer(t, workspace, { extraArgs = [], env = {} } = {}) {
  return startHttpProcess(t, workspace, serverArgs(workspace, "serve", "--http", "--urls", "http://127.0.0.1:0", ...extraArgs), env);
}

/**
 * The conformance fixture host (tests/TaskOrchestrator.ConformanceFixture): the product's HTTP host with
 * the fixed tools, prompts and resources the conformance suite's fixture scenarios call.
 */
export const FIXTURE_DLL = resolve(
  process.env.TASK_ORCHESTRATOR_FIXTURE_DLL ||
    join(PACKAGE_ROOT, "..", "TaskOrchestrator.ConformanceFixture", "bin", "Release", "net10.0", "task-orchestrator-conformance-fixture.dll"),
);

export function startFixtureServer(t, workspace) {
  return startHttpProcess(t, workspace, [FIXTURE_DLL, "--workspace", workspace, "--urls", "http://127.0.0.1:0"], {});
}

function startHttpProcess(t, workspace, args, env) {
  const child = spawn("dotnet", args, {
    cwd: workspace,
    env: { ...serverEnv(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let exit = null;
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve((exit = { code, signal }))));
  t.after(() => {
    if (exit === null) child.kill("SIGKILL");
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the HTTP server printed no endpoint within 30 s:\n${stderr}`)), 30_000);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const match = /MCP endpoint: (http:\/\/\S+\/mcp)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          base: match[1].slice(0, -"/mcp".length),
          child,
          exited,
          stderr: () => stderr,
          stop: async () => {
            if (exit === null) child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP server exited with ${code} before serving:\n${stderr}`));
    });
  });
}

/** The official client over Streamable HTTP, connected and with the tool list read once. */
export async function connectHttp(t, url, { name = "interop-http", requestInit } = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(url), requestInit ? { requestInit } : undefined);
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  t.after(() => client.close());
  return { client, transport, tools };
}
