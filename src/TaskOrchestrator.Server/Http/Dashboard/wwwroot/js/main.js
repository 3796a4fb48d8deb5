// Wires the dashboard together: token, first load, the live event stream and the periodic panel refreshes.

import { captureToken, getJson, setToken, hasToken, ApiError } from './api.js';
import { el, replace, errorText } from './dom.js';
import { Board } from './board.js';
import { Details } from './details.js';
import { EventStream } from './stream.js';
import { renderAgents, renderHealth, renderRestarts, renderServiceLevels, activityItem } from './panels.js';

const $ = id => document.getElementById(id);
const ACTIVITY_LIMIT = 60;

// Above this many changed tasks in one burst, reloading the columns is cheaper than one read per task.
const RELOAD_THRESHOLD = 40;

const announcer = $('announcer');
const announce = text => { announcer.textContent = text; };
const details = new Details($('details'));
const board = new Board($('board'), { onSelect: id => details.show(id), announce, filter: $('board-filter') });

let started = false;
let stream = null;
const changedTasks = new Set();
let flushTimer = null;
const refreshTimers = new Map();

function setConnection(state, text) {
  const node = $('connection');
  node.dataset.state = state;
  node.textContent = text;
}

function showNotice(text) {
  const notice = $('notice');
  notice.textContent = text;
  notice.hidden = !text;
}

function needToken(message) {
  setConnection('unauthorized', 'Token needed');
  showNotice(message || 'This server requires an access token. Enter it below, or open the dashboard with #token=… in the address.');
  $('token-form').hidden = false;
  $('token-input').focus();
}

/** Runs a panel's loader, showing its failure in the panel rather than breaking the page. */
async function panel(id, load) {
  try {
    await load();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      needToken();
      return;
    }
    replace($(id), el('p', { class: 'error', role: 'alert' }, errorText(error)));
  }
}

const loaders = {
  counts: () => panel('board-summary', async () => {
    const status = await getJson('/api/status');
    board.setCounts(status.counts_by_status);
    $('board-summary').textContent = status.total_tasks + ' tasks · ' + status.ready_total + ' ready · ' + status.active_total + ' in progress · ' + status.blocked_total + ' blocked · ' + status.waiting_total + ' waiting';
  }),
  agents: () => panel('agents', async () => renderAgents($('agents'), await getJson('/api/agents'))),
  health: () => panel('health', async () => renderHealth($('health'), await getJson('/api/health', { include_reboot_readiness: false }))),
  restarts: () => panel('restarts', async () => renderRestarts($('restarts'), await getJson('/api/restarts'))),
  slo: () => panel('slo', async () => renderServiceLevels($('slo'), await getJson('/api/status', { include_performance_metrics: true, include_slo: true }))),
};

/** Refreshes a panel soon, once however many events ask for it. */
function soon(name, delay = 300) {
  if (!refreshTimers.has(name)) {
    refreshTimers.set(name, setTimeout(() => { refreshTimers.delete(name); loaders[name](); }, delay));
  }
}

function addActivity(event) {
  const list = $('activity');
  list.prepend(activityItem(event));
  while (list.children.length > ACTIVITY_LIMIT) {
    list.lastElementChild.remove();
  }
}

function onEvent(event) {
  addActivity(event);
  if (event.task_id) {
    if (event.kind === 'task_deleted') {
      changedTasks.delete(event.task_id);
      board.remove(event.task_id);
    } else {
      changedTasks.add(event.task_id);
    }
    if (!flushTimer) {
      flushTimer = setTimeout(flushTasks, 50);
    }
    soon('counts');
  }
  if (event.kind.startsWith('agent_') || event.kind === 'lease_renewed' || event.kind === 'status_changed') {
    soon('agents');
  }
  if (event.kind === 'health_transition' || event.kind === 'instance_dead') {
    soon('health');
  }
}

async function flushTasks() {
  flushTimer = null;
  const ids = [...changedTasks];
  changedTasks.clear();
  if (ids.length > RELOAD_THRESHOLD) {
    await panel('board', () => board.load());
  } else {
    await Promise.all(ids.map(id => panel('board', async () => {
      const detail = await getJson('/api/tasks/' + encodeURIComponent(id), { events_limit: 1 });
      board.upsert(detail.task);
    })));
  }
  if (details.current && ids.includes(details.current)) {
    details.refresh();
  }
}

async function start() {
  try {
    const index = await getJson('/api');
    $('workspace').textContent = index.workspace;
    const recent = await getJson('/api/events/recent', { limit: ACTIVITY_LIMIT });
    for (const event of [...recent.events].reverse()) {
      addActivity(event);
    }
    // Start the stream at the newest event seen before the board loads: anything that happens while it
    // loads is replayed, and applying a change twice is harmless.
    const since = recent.events.length ? recent.events[0].sequence : 0;
    await board.load();
    showNotice('');
    $('token-form').hidden = true;
    stream = new EventStream({
      since,
      onEvent,
      onState: (state, error) => {
        if (state === 'live') {
          setConnection('live', 'Live');
        } else if (state === 'unauthorized') {
          needToken();
        } else if (state === 'store-error') {
          setConnection('reconnecting', 'Store unavailable: ' + error.message);
        } else {
          setConnection('reconnecting', 'Reconnecting…');
        }
      },
    });
    stream.start();
    started = true;
    for (const name of Object.keys(loaders)) {
      loaders[name]();
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      needToken(hasToken() ? 'The server refused the token. Check it and enter it again.' : undefined);
    } else {
      setConnection('offline', 'Offline');
      showNotice('The dashboard could not load: ' + errorText(error));
    }
  }
}

$('token-button').addEventListener('click', () => {
  const form = $('token-form');
  form.hidden = !form.hidden;
  if (!form.hidden) {
    $('token-input').focus();
  }
});
$('token-form').addEventListener('submit', event => {
  event.preventDefault();
  setToken($('token-input').value.trim());
  $('token-input').value = '';
  if (stream) {
    stream.stop();
  }
  start();
});
$('token-clear').addEventListener('click', () => {
  setToken(null);
  $('token-input').value = '';
  announce('The token was forgotten.');
});

setInterval(() => started && loaders.agents(), 10_000);
setInterval(() => started && loaders.health(), 30_000);
setInterval(() => started && loaders.restarts(), 60_000);
setInterval(() => started && loaders.slo(), 15_000);

captureToken();
start();
