// Sums the outcomes of every TRX file (.NET tests) and TAP file (interop tests) in a folder and
// prints one line: "tests: N passed, N failed, N skipped". Exits 1 when a result file is unreadable
// or no result was found, so a broken run never reports itself as green.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const folder = process.argv[2];
let passed = 0, failed = 0, skipped = 0, files = 0;
for (const name of readdirSync(folder)) {
  const text = readFileSync(join(folder, name), "utf8");
  if (name.endsWith(".trx")) {
    const counters = text.match(/<Counters [^>]*>/);
    if (!counters) { console.error(`no counters in ${name}`); process.exit(1); }
    const value = (key) => Number((counters[0].match(new RegExp(`${key}="(\\d+)"`)) ?? [0, 0])[1]);
    const failedHere = value("failed") + value("error") + value("timeout") + value("aborted");
    passed += value("passed");
    failed += failedHere;
    // xunit v3 reports a test skipped at run time (Assert.Skip) as not executed without counting it
    // anywhere else: every test of the total that neither passed nor failed was skipped.
    skipped += Math.max(value("notExecuted") + value("inconclusive"), value("total") - value("passed") - failedHere);
    files++;
  } else if (name.endsWith(".tap")) {
    const value = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)$`, "m")) ?? [0, 0])[1]);
    passed += value("pass");
    failed += value("fail") + value("cancelled");
    skipped += value("skipped") + value("todo");
    files++;
  }
}
if (files === 0) { console.error(`no test results in ${folder}`); console.log("tests: 0 passed, 1 failed, 0 skipped"); process.exit(1); }
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
