// Yes, this file is really named "*.test.mjs".
//
// scripts/test.sh runs `node --test ... 'test/*.test.mjs'` with the pattern in quotes, so the shell
// does not expand it. Node 21 and later expand glob patterns themselves. Node 20 does not: it reads
// the pattern as a file name, which is this file. On Node 20 this file imports every real test
// file, so the whole suite runs. On Node 21+ the pattern finds the real files and this file does
// nothing. If test.sh ever lets the shell expand the pattern (no quotes), delete this file, or on
// Node 20 every test would run twice.
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const nodeMajor = Number(process.versions.node.split(".")[0]);
if (nodeMajor < 21) {
  const folder = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(".test.mjs") && name !== "*.test.mjs")
    .sort();
  for (const name of files) await import(`./${name}`);
}
