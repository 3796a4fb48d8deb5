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
 * Service levels: each tool's availability and latency SLIs over the rolling window against their
 * objectives, with the error budget left and its burn rate (orchestrator_get_status's slo section),
 * and the tool calls this process measured since it started.
 */
export function renderServiceLevels(container, status) {
  const slo = status.slo;
  const performance = status.performance;
  let objectives;
  if (!slo) {
    objectives = el('p', { class: 'muted', 'data-slo': 'not-available' }, 'Service-level objectives: not available on this server.');
  } else if (!slo.tools.length) {
    objectives = el('p', { class: 'muted', 'data-slo': 'available' }, 'No tool calls in the SLO window yet.');
  } else {
    objectives = el('div', { 'data-slo': 'available' },
      table('Service-level indicators per tool', ['Tool', 'Availability', 'Error budget left', 'Burn rate', 'Latency', 'Objectives'], slo.tools.map(t => el('tr', { 'data-tool': t.tool },
        el('th', { scope: 'row' }, t.tool.replace(/^orchestrator_/, '')),
        el('td', {}, indicator(t.availability)),
        el('td', {}, budget(t.availability)),
        el('td', {}, t.availability.burn_rate.toFixed(2) + '×'),
        el('td', {}, indicator(t.latency), el('div', { class: 'muted' }, 'within ' + t.latency_threshold_ms + ' ms')),
        el('td', {}, badge(t.availability.met && t.latency.met ? 'healthy' : 'critical', t.availability.met && t.latency.met ? 'met' : 'missed'))))));
  }
  const windowText = slo ? 'Window: the last ' + Math.round(slo.window_seconds / 60) + ' minutes.' : null;
  const tools = performance && performance.tools ? performance.tools.filter(t => t.calls > 0) : [];
  const measured = tools.length
    ? table('Tool calls measured by this server process', ['Tool', 'Calls', 'Errors', 'p50', 'p95', 'p99'], tools.map(t => el('tr', {},
      el('th', { scope: 'row' }, t.tool.replace(/^orchestrator_/, '')),
      el('td', {}, String(t.calls)), el('td', {}, String(t.errors)),
      el('td', {}, ms(t.p50_ms)), el('td', {}, ms(t.p95_ms)), el('td', {}, ms(t.p99_ms)))))
    : el('p', { class: 'muted' }, 'No tool calls measured by this server process yet.');
  replace(container,
    objectives,
    windowText ? el('p', { class: 'muted' }, windowText) : null,
    el('h3', {}, 'Measured since ', performance ? time(performance.since) : '—'),
    measured);
}

// An SLI as its ratio against the objective, with the counts behind it.
function indicator(sli) {
  return el('span', {}, percent(sli.ratio), el('span', { class: 'muted' }, ' of ' + percent(sli.objective) + ' (' + sli.good + '/' + sli.events + ')'));
}

function budget(sli) {
  if (sli.error_budget_remaining < 0) {
    return badge('critical', 'overspent');
  }
  return el('span', {}, el('meter', { min: 0, max: 1, low: 0.25, high: 0.5, optimum: 1, value: sli.error_budget_remaining, 'aria-label': 'error budget left ' + percent(sli.error_budget_remaining) }), ' ', percent(sli.error_budget_remaining));
}

/** One line of the activity feed. */
export function activityItem(event) {
  const change = event.from || event.to ? ' ' + (event.from || '—') + ' → ' + (event.to || '—') : '';
  return el('li', { 'data-sequence': event.sequence },
    time(event.at), ' ', el('strong', {}, words(event.kind)), change,
    event.task_id ? el('span', { class: 'task-id' }, ' ' + event.task_id) : null,
    event.actor ? el('span', { class: 'muted' }, ' by ' + event.actor) : null);
}
