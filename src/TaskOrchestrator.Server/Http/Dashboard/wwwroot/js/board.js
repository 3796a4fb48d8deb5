// The task board: a column per status, a card per task. Cards move between columns as the event
// stream reports changes; counts come from the server (GET /api/status), not from what is loaded.

import { getJson } from './api.js';
import { el, replace, badge, words } from './dom.js';

export const COLUMNS = ['pending', 'in_progress', 'blocked', 'completed', 'failed', 'cancelled'];

// The most cards loaded per column; the header still shows the column's full count.
const PAGE = 200;

export class Board {
  constructor(root, { onSelect, announce, filter }) {
    this.onSelect = onSelect;
    this.announce = announce;
    this.filterInput = filter;
    this.tasks = new Map();
    this.counts = {};
    this.columns = new Map();
    for (const status of COLUMNS) {
      const count = el('span', { class: 'count' }, '0');
      const list = el('ul', { class: 'cards', 'aria-labelledby': 'column-' + status });
      const empty = el('p', { class: 'muted empty' }, 'No tasks');
      const column = el('section', { class: 'column', 'data-status': status, 'aria-labelledby': 'column-' + status },
        el('h3', { id: 'column-' + status }, badge(status, words(status)), ' ', count),
        list,
        empty);
      this.columns.set(status, { column, count, list, empty });
      root.append(column);
    }
    filter.addEventListener('input', () => this.applyFilter());
  }

  /** Loads every column afresh. */
  async load() {
    const pages = await Promise.all(COLUMNS.map(status => getJson('/api/tasks', { status, limit: PAGE, sort: 'updated_desc' })));
    this.tasks.clear();
    pages.forEach((page, i) => {
      this.counts[COLUMNS[i]] = page.total_count;
      for (const task of page.tasks) {
        this.tasks.set(task.task_id, task);
      }
    });
    for (const status of COLUMNS) {
      this.renderColumn(status);
    }
  }

  /** Shows a task's current state, moving its card when its status changed. */
  upsert(task) {
    const previous = this.tasks.get(task.task_id);
    if (previous && previous.version > task.version) {
      return; // an answer that was overtaken by a newer one on the way
    }
    this.tasks.set(task.task_id, task);
    if (previous && previous.status !== task.status) {
      this.announce('Task ' + task.title + ' moved from ' + words(previous.status) + ' to ' + words(task.status) + '.');
      this.renderColumn(previous.status);
    } else if (!previous) {
      this.announce('New task ' + task.title + ' (' + words(task.status) + ').');
    }
    this.renderColumn(task.status);
  }

  /** Removes a deleted task's card. */
  remove(taskId) {
    const previous = this.tasks.get(taskId);
    if (previous) {
      this.tasks.delete(taskId);
      this.announce('Task ' + previous.title + ' was deleted.');
      this.renderColumn(previous.status);
    }
  }

  /** Sets the column counts from the server's counts by status. */
  setCounts(counts) {
    this.counts = { ...counts };
    for (const status of COLUMNS) {
      this.columns.get(status).count.textContent = String(this.counts[status] ?? 0);
    }
  }

  renderColumn(status) {
    const parts = this.columns.get(status);
    if (!parts) {
      return; // archived tasks are not on the board
    }
    const tasks = [...this.tasks.values()]
      .filter(t => t.status === status)
      .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || a.task_id.localeCompare(b.task_id));
    replace(parts.list, tasks.map(task => el('li', {}, this.card(task))));
    const loaded = tasks.length;
    const total = Math.max(this.counts[status] ?? 0, loaded);
    parts.count.textContent = String(total);
    parts.empty.hidden = loaded > 0;
    this.applyFilter();
  }

  card(task) {
    const meta = [
      el('span', { class: 'task-id' }, task.task_id),
      el('span', {}, task.specialist_type),
      badge('priority-' + task.priority, words(task.priority)),
      task.ready ? badge('ready', 'ready') : null,
      task.assigned_agent ? el('span', { class: 'agent' }, 'agent ' + task.assigned_agent) : null,
    ];
    return el('button', {
      type: 'button',
      class: 'card',
      'data-task-id': task.task_id,
      'data-status': task.status,
      onclick: () => this.onSelect(task.task_id),
    }, el('span', { class: 'card-title' }, task.title), el('span', { class: 'card-meta' }, meta));
  }

  applyFilter() {
    const words = this.filterInput.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    for (const card of document.querySelectorAll('#board .card')) {
      const task = this.tasks.get(card.dataset.taskId);
      const text = task ? [task.title, task.task_id, task.specialist_type, task.assigned_agent || ''].join(' ').toLowerCase() : '';
      card.parentElement.hidden = words.some(w => !text.includes(w));
    }
  }
}
