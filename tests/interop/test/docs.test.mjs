// The generated tool reference (docs/tools.md) must match what the built server reports in tools/list.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { DLL, PACKAGE_ROOT } from "./support/server.mjs";

test("docs/tools.md matches the server's tools/list", { timeout: 60_000 }, () => {
  const script = join(PACKAGE_ROOT, "..", "..", "scripts", "gen-tool-reference.mjs");
  const output = execFileSync(process.execPath, [script, DLL, "--check"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(output.trim(), "docs/tools.md is up to date");
});
