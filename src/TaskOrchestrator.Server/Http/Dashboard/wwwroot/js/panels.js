// The side panels: agents, health checks, service levels and restart history, each rendered from the
// API's answer; a panel whose request fails shows why instead of its content.

import { el, replace, badge, time, words, table } from './dom.js';

const percent = value => (value === null || value === undefined ? '—' : (value * 100).toFixed(1) + ' %');
const ms = value => (value === null || value === undefined ? '—' : value.toFixed(1) + ' ms');

export function renderAgents(container, result) {
  if (!result.agents.length) {
    replace(container, el('p', { class: 'muted' }, 'No agents yet: agents appear when they register or claim a task.'));
    return;
  }
  replace(container,
    el('p', { class: 'summary' }, result.total + ' agents: ' + result.healthy + ' healthy, ' + result.degraded + ' degraded, ' + result.critical + ' critical.'),
    table('Agents', ['Agent', 'Health', 'Circuit', 'Outcomes', 'Current claims'], result.agents.map(agent => el('tr', { 'data-agent-id': agent.agent_id },
      el('th', { scope: 'row' }, agent.name, agent.name !== agent.agent_id ? el('span', { class: 'task-id' }, ' ' + agent.agent_id) : null, el('div', { class: 'muted' }, agent.kind)),
      el('td', {}, badge(agent.classification, agent.classification), el('div', { class: 'muted' }, 'risk ' + agent.risk.toFixed(3))),
      el('td', {}, badge('circuit-' + agent.circuit.state, words(agent.circuit.state))),
      el('td', {}, agent.counters.completed + ' completed, ' + agent.counters.failed + ' failed, ' + agent.counters.lease_expired + ' expired'),
      el('td', {}, agent.current_claims.length
        ? el('ul', { class: 'plain' }, agent.current_claims.map(c => el('li', {}, c.title, ' ', el('span', { class: 'task-id' }, c.task_id),
          c.lease_expires_at ? el('div', { class: 'muted' }, 'lease until ', time(c.lease_expires_at)) : null)))
        : el('span', { class: 'muted' }, 'none'))))));
}

export function renderHealth(container, result) {
  replace(container,
    el('p', { class: 'summary' }, 'Overall ', badge(result.status, result.status), ' · checked ', time(result.checked_at), ' · server ', result.server.version),
    el('ul', { class: 'checks' }, result.checks.map(check => el('li', { 'data-check': check.name },
      badge(check.status, check.status), ' ', el('strong', {}, words(check.name)), el('div', { class: 'muted' }, check.message)))));
}

export function renderRestarts(container, result) {
  const history = result.history || [];
  replace(container,
    el('p', { class: 'summary' }, result.message),
    history.length
      ? table('Restarts', ['Started', 'Kind', 'Reason', 'Outcome', 'Duration'], history.map(r => el('tr', {},
        el('td', {}, time(r.started_at)), el('td', {}, words(r.kind)), el('td', {}, words(r.reason)),
        el('td', {}, badge(r.outcome, words(r.outcome))), el('td', {}, ms(r.duration_ms)))))
      : el('p', { class: 'muted' }, 'No restart recorded.'));
}

/**
 * Service levels: the objectives and error budgets of /api/slo when this server offers it, and the
 * tool-call figures measured by this process (from /api/status) in any case.
 */
export function renderServiceLevels(container, slo, performance) {
  const objectives = slo === null
    ? el('p', { class: 'muted', 'data-slo': 'not-available' }, 'Service-level objectives: not available on this server (it offers no /api/slo).')
    : el('div', { 'data-slo': 'available' }, el('h3', {}, 'Objectives'), generic(slo, 0));
  const tools = performance && performance.tools ? performance.tools.filter(t => t.calls > 0) : [];
  const measured = tools.length
    ? table('Tool calls measured by this server process', ['Tool', 'Calls', 'Availability', 'p50', 'p95', 'p99'], tools.map(t => {
      const availability = (t.calls - t.errors) / t.calls;
      return el('tr', {},
        el('th', { scope: 'row' }, t.tool.replace(/^orchestrator_/, '')),
        el('td', {}, String(t.calls)),
        el('td', {}, el('meter', { min: 0, max: 1, low: 0.99, optimum: 1, value: availability, 'aria-label': 'availability ' + percent(availability) }), ' ', percent(availability)),
        el('td', {}, ms(t.p50_ms)), el('td', {}, ms(t.p95_ms)), el('td', {}, ms(t.p99_ms)));
    }))
    : el('p', { class: 'muted' }, 'No tool calls measured by this server process yet.');
  replace(container, objectives, el('h3', {}, 'Measured since ', performance ? time(performance.since) : '—'), measured);
}

// The shape of /api/slo belongs to whoever serves it: show any JSON readably rather than guess fields.
function generic(value, depth) {
  if (value === null || value === undefined) {
    return el('span', { class: 'muted' }, '—');
  }
  if (Array.isArray(value)) {
    const rows = value.filter(v => v && typeof v === 'object' && !Array.isArray(v));
    if (rows.length === value.length && rows.length > 0) {
      const keys = [...new Set(rows.flatMap(r => Object.keys(r)))];
      return table('Objectives', keys.map(words), rows.map(r => el('tr', {}, keys.map(k => el('td', {}, depth < 3 ? generic(r[k], depth + 1) : JSON.stringify(r[k]))))));
    }
    return el('ul', { class: 'plain' }, value.map(v => el('li', {}, generic(v, depth + 1))));
  }
  if (typeof value === 'object') {
    return el('dl', { class: 'fields' }, Object.entries(value).map(([k, v]) => [el('dt', {}, words(k)), el('dd', {}, depth < 3 ? generic(v, depth + 1) : JSON.stringify(v))]));
  }
  if (typeof value === 'number' && !Number.isInteger(value)) {
    return String(Math.round(value * 10000) / 10000);
  }
  return String(value);
}

/** One line of the activity feed. */
export function activityItem(event) {
  const change = event.from || event.to ? ' ' + (event.from || '—') + ' → ' + (event.to || '—') : '';
  return el('li', { 'data-sequence': event.sequence },
    time(event.at), ' ', el('strong', {}, words(event.kind)), change,
    event.task_id ? el('span', { class: 'task-id' }, ' ' + event.task_id) : null,
    event.actor ? el('span', { class: 'muted' }, ' by ' + event.actor) : null);
}
