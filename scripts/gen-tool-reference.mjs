// Renders docs/tools.md from the running server's own tools/list, so the reference cannot drift from
// the schemas clients see. Usage: node scripts/gen-tool-reference.mjs [path/to/task-orchestrator.dll] [--check]
// With --check, exits 1 when docs/tools.md differs from what the server reports.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "tests/interop/package.json"));
const { Client } = await import(require.resolve("@modelcontextprotocol/sdk/client/index.js"));
const { StdioClientTransport } = await import(require.resolve("@modelcontextprotocol/sdk/client/stdio.js"));

const args = process.argv.slice(2);
const check = args.includes("--check");
const dll = args.find((a) => a.endsWith(".dll")) ?? join(root, "src/TaskOrchestrator.Server/bin/Release/net10.0/task-orchestrator.dll");
const workspace = mkdtempSync(join(tmpdir(), "to-docs-"));
const listTools = async (profile) => {
  const client = new Client({ name: "gen-tool-reference", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: "dotnet", args: [dll, "--workspace", workspace, "--log-level", "warning", "--tools", profile], stderr: "ignore" }));
  const { tools } = await client.listTools();
  await client.close();
  return tools;
};
const tools = await listTools("all");
// Each tool's profile: the smallest one whose server lists it, asked of the server itself.
const profiles = ["core", "standard"];
const listedBy = Object.fromEntries(await Promise.all(profiles.map(async (p) => [p, new Set((await listTools(p)).map((t) => t.name))])));
const profileOf = (name) => profiles.find((p) => listedBy[p].has(name)) ?? "all";
rmSync(workspace, { recursive: true, force: true });

const cell = (text) => (text ?? "").replaceAll("|", "\\|").replaceAll("\n", " ");
const typeOf = (schema) => {
  if (!schema) return "any";
  if (schema.enum) return schema.enum.map((v) => `\`${v}\``).join(" \\| ");
  if (schema.type === "array") return `array of ${schema.items?.enum ? `(${typeOf(schema.items)})` : schema.items?.type ?? "objects"}`;
  return Array.isArray(schema.type) ? schema.type.join(" \\| ") : schema.type ?? "any";
};
const limits = (schema) => [
  schema.minimum !== undefined || schema.maximum !== undefined ? `range ${schema.minimum ?? "…"}..${schema.maximum ?? "…"}` : null,
  schema.maxLength !== undefined ? `max ${schema.maxLength} chars` : null,
  schema.maxItems !== undefined ? `max ${schema.maxItems} items` : null,
  schema.default !== undefined ? `default \`${JSON.stringify(schema.default)}\`` : null,
].filter(Boolean).join("; ");

let md = "# Tool reference\n\n";
md += "Generated from the server's `tools/list` by `node scripts/gen-tool-reference.mjs`; do not edit by hand.\n";
md += "Every tool returns `structuredContent` matching its output schema plus a short text rendering. On failure it returns\n";
md += "`isError: true` with `structuredContent` `{\"error\": {\"code\", \"message\", \"field\", \"allowed\", \"hint\", \"details\"}}` and changes nothing\n";
md += "(see [reference.md](reference.md#errors) for the codes).\n\n";
md += "Profile: the smallest tool profile (`--tools core|standard|all`, see [reference.md](reference.md#tool-profiles)) that lists the tool.\n\n";
for (const tool of tools) {
  const a = tool.annotations ?? {};
  const traits = [a.readOnlyHint ? "read-only" : null, a.destructiveHint ? "destructive" : null, a.idempotentHint ? "idempotent" : null].filter(Boolean);
  md += `## ${tool.name}\n\n**${tool.title ?? tool.name}**${traits.length ? ` (${traits.join(", ")})` : ""}. Profile: \`${profileOf(tool.name)}\`.\n\n${tool.description}\n\n`;
  const props = tool.inputSchema.properties ?? {};
  const required = new Set(tool.inputSchema.required ?? []);
  if (Object.keys(props).length) {
    md += "| Parameter | Type | Required | Limits | Description |\n|---|---|---|---|---|\n";
    for (const [name, schema] of Object.entries(props)) {
      md += `| \`${name}\` | ${typeOf(schema)} | ${required.has(name) ? "yes" : ""} | ${cell(limits(schema))} | ${cell(schema.description)} |\n`;
    }
    md += "\n";
  }
  const out = tool.outputSchema?.properties ?? {};
  const fields = Object.entries(out).filter(([n]) => n !== "error");
  if (fields.length) {
    md += "Result fields: " + fields.map(([n, s]) => `\`${n}\`${s.description ? ` (${cell(s.description)})` : ""}`).join(", ") + ".\n\n";
  }
}

const target = join(root, "docs/tools.md");
if (check) {
  const current = readFileSync(target, "utf8");
  if (current !== md) {
    console.error("docs/tools.md is out of date: run node scripts/gen-tool-reference.mjs");
    process.exit(1);
  }
  console.log("docs/tools.md is up to date");
} else {
  writeFileSync(target, md);
  console.log(`wrote ${target} (${tools.length} tools)`);
}
