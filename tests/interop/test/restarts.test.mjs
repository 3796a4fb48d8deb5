// Restarts and worker crashes through the official TypeScript client: the client keeps calling tools
// while the server restarts three times and its worker is killed twice.
import assert from "node:assert/strict";
import { test } from "node:test";
import { connect, freshWorkspace } from "./support/server.mjs";
import { countAnswers, restartSoak } from "./support/soak.mjs";

test("3 restarts and 2 worker kills while calling: every call answered once, same session, 5 history entries", { timeout: 180_000 }, async (t) => {
  const workspace = freshWorkspace(t);
  const { client, transport, stderr } = await connect(t, workspace);
  const answers = countAnswers(transport);

  const run = await restartSoak(client, { restarts: 3, kills: 2, log: (line) => t.diagnostic(line) });

  assert.deepEqual(answers.notAnsweredOnce(), [], "every request answered exactly once");
  assert.ok(answers.sent() > 100, `the client kept calling (${answers.sent()} requests)`);
  assert.equal(run.currentSessionId, run.sessionId, "the same session throughout");
  assert.equal(run.listed, run.tally.planned.size, "every planned task exists exactly once");
  const history = run.history.map((entry) => `${entry.kind}:${entry.outcome}`).sort();
  assert.deepEqual(history, [
    "crash_recovery:succeeded",
    "crash_recovery:succeeded",
    "restart:succeeded",
    "restart:succeeded",
    "restart:succeeded",
  ], stderr());
  for (const entry of run.history.filter((e) => e.kind === "crash_recovery")) {
    assert.match(entry.error, /^the worker process \(pid \d+\) exited unexpectedly with code 137 \(killed: SIGKILL\)/, "the crash's cause is recorded");
  }
  t.diagnostic(`${answers.sent()} requests, ${run.tally.interrupted} writes interrupted and retried, ${run.tally.planned.size} tasks`);
});
