// The restart soak: a client keeps calling tools while the server is restarted and its worker is
// killed, and every call must be answered exactly once on the same session. Used by the interop test
// and by scripts/restart-soak.mjs, which runs it against any workspace as a user would.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Counts what goes over the client's transport: the id of every request the client sends and how many
 * answers each id receives. Must wrap the transport after client.connect(), which installs onmessage.
 */
export function countAnswers(transport) {
  const sent = new Map();
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    if (message.method !== undefined && message.id !== undefined) {
      sent.set(message.id, 0);
    }
    return send(message, options);
  };
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if (message.id !== undefined && message.method === undefined) {
      sent.set(message.id, (sent.get(message.id) ?? 0) + 1);
    }
    receive?.(message, extra);
  };
  return {
    sent: () => sent.size,
    notAnsweredOnce: () => [...sent].filter(([, answers]) => answers !== 1),
  };
}

const structured = (result) => result.structuredContent;

async function workerPid(client) {
  const health = structured(await client.callTool({ name: "orchestrator_health_check", arguments: { include_database_status: false } }));
  assert.equal(health.server.supervised, true, "the server runs under its supervisor");
  return health.server.process_id;
}

/**
 * One caller: plans tasks (each with an idempotency key) and reads between them until told to stop.
 * A write answered `interrupted` is retried with its key, as the error's hint says.
 */
async function keepCalling(client, caller, stop, tally) {
  for (let i = 0; !stop.stopped; i++) {
    const key = `soak-${caller}-${i}`;
    for (let attempt = 0; ; attempt++) {
      const result = await client.callTool({ name: "orchestrator_plan_task", arguments: { title: key, idempotency_key: key } });
      tally.calls++;
      if (!result.isError) {
        tally.planned.add(key);
        break;
      }

      const error = result.structuredContent?.error;
      assert.equal(error?.code, "interrupted", `plan_task ${key} failed: ${JSON.stringify(error)}`);
      assert.ok(attempt < 3, `plan_task ${key} interrupted ${attempt + 1} times`);
      tally.interrupted++;
    }

    const read = await client.callTool({ name: i % 2 ? "orchestrator_get_status" : "orchestrator_query_tasks", arguments: {} });
    tally.calls++;
    assert.notEqual(read.isError, true, `a read failed: ${JSON.stringify(read.structuredContent)}`);
    await sleep(5);
  }
}

/**
 * Runs the soak on a connected client: `restarts` graceful restarts and `kills` SIGKILLs of the
 * worker, interleaved, while three callers keep calling. Returns what happened.
 */
export async function restartSoak(client, { restarts = 3, kills = 2, log = () => {} } = {}) {
  const session = structured(await client.callTool({ name: "orchestrator_initialize_session", arguments: { session_name: "restart soak" } }));
  const stop = { stopped: false };
  const tally = { calls: 0, interrupted: 0, planned: new Set() };
  const callers = [0, 1, 2].map((caller) => keepCalling(client, caller, stop, tally));
  const events = [];
  const plan = [];
  for (let i = 0; i < Math.max(restarts, kills); i++) {
    if (i < restarts) plan.push("restart");
    if (i < kills) plan.push("kill");
  }

  for (const step of plan) {
    await sleep(400);
    if (step === "restart") {
      const restart = structured(await client.callTool({ name: "orchestrator_restart_server", arguments: { reason: "manual_request" } }));
      assert.equal(restart.outcome, "succeeded", `restart: ${restart.message}`);
      events.push({ step, ms: restart.duration_ms });
      log(`restart: ${restart.outcome} in ${Math.round(restart.duration_ms)} ms`);
    } else {
      const pid = await workerPid(client);
      process.kill(pid, "SIGKILL");
      const started = Date.now();
      // The next health check is held until a new worker serves it.
      const next = await workerPid(client);
      assert.notEqual(next, pid, "a new worker serves after the kill");
      events.push({ step, ms: Date.now() - started });
      log(`kill: worker ${pid} killed, worker ${next} serving after ${Date.now() - started} ms`);
    }
  }

  await sleep(300);
  stop.stopped = true;
  await Promise.all(callers);

  const status = structured(await client.callTool({ name: "orchestrator_restart_status", arguments: { include_history: true, include_error_details: true } }));
  const current = structured(await client.callTool({ name: "orchestrator_session_status", arguments: {} }));
  let listed = 0;
  for (let offset = 0; offset !== null; ) {
    const page = structured(await client.callTool({ name: "orchestrator_query_tasks", arguments: { limit: 500, offset } }));
    listed += page.tasks.length;
    offset = page.next_offset;
  }

  return { sessionId: session.session_id, currentSessionId: current.progress.session.session_id, tally, events, history: status.history, listed };
}
