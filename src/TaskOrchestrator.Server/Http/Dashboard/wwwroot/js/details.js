// The task details dialog: the task's fields, its place in the tree (parents, subtasks), what it
// depends on and what depends on it, its artifacts and its history from the event log.

import { getJson } from './api.js';
import { el, replace, badge, time, words, errorText, table } from './dom.js';

export class Details {
  constructor(dialog) {
    this.dialog = dialog;
    this.title = dialog.querySelector('#details-title');
    this.body = dialog.querySelector('#details-body');
    this.taskId = null;
    dialog.querySelector('#details-close').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => { this.taskId = null; });
  }

  /** The task shown, or null when the dialog is closed. */
  get current() {
    return this.dialog.open ? this.taskId : null;
  }

  async show(taskId) {
    this.taskId = taskId;
    if (!this.dialog.open) {
      replace(this.body, el('p', { class: 'muted' }, 'Loading…'));
      this.dialog.showModal();
    }
    await this.refresh();
  }

  async refresh() {
    const taskId = this.taskId;
    if (!taskId) {
      return;
    }
    try {
      const detail = await getJson('/api/tasks/' + encodeURIComponent(taskId), { events_limit: 200 });
      if (this.taskId === taskId) {
        this.render(detail);
      }
    } catch (error) {
      replace(this.body, el('p', { class: 'error', role: 'alert' }, errorText(error)));
    }
  }

  render(detail) {
    const task = detail.task;
    this.title.textContent = task.title;
    const link = (ref, label) => el('button', { type: 'button', class: 'link', onclick: () => this.show(ref.task_id) }, label || ref.title);
    const refItem = ref => el('li', {}, link(ref), ' ', badge(ref.status, words(ref.status)), el('span', { class: 'task-id' }, ' ' + ref.task_id));

    const fields = [
      ['Id', task.task_id], ['Status', words(task.status) + (task.ready ? ' (ready)' : '')], ['Type', words(task.task_type)],
      ['Specialist', task.specialist_type], ['Priority', task.priority], ['Complexity', words(task.complexity)],
      ['Agent', task.assigned_agent], ['Session', task.session_id], ['Version', task.version],
      ['Created', time(task.created_at)], ['Updated', time(task.updated_at)], ['Started', task.started_at ? time(task.started_at) : null],
      ['Completed', task.completed_at ? time(task.completed_at) : null], ['Due', task.due_date ? time(task.due_date) : null],
      ['Effort', task.estimated_effort], ['Reason', task.status_reason], ['Result', task.result_summary],
    ].filter(([, value]) => value !== null && value !== undefined && value !== '');

    // The tree: each ancestor nests the next, down to this task and its subtasks.
    const self = el('li', { 'aria-current': 'true' }, el('strong', {}, task.title), ' ', badge(task.status, words(task.status)),
      task.children && task.children.length ? el('ul', {}, task.children.map(refItem)) : el('p', { class: 'muted' }, 'No subtasks.'));
    let tree = self;
    for (const ancestor of [...detail.ancestors].reverse()) {
      tree = el('li', {}, link(ancestor), ' ', badge(ancestor.status, words(ancestor.status)), el('ul', {}, tree));
    }

    replace(this.body,
      el('p', {}, badge(task.status, words(task.status)), task.ready ? badge('ready', 'ready') : null),
      task.description ? el('p', { class: 'description' }, task.description) : null,
      el('dl', { class: 'fields' }, fields.map(([name, value]) => [el('dt', {}, name), el('dd', {}, value)])),
      el('h3', {}, 'Dependency tree'),
      el('ul', { class: 'tree', 'aria-label': 'Parents and subtasks' }, tree),
      el('h4', {}, 'Depends on'),
      task.dependencies.length
        ? el('ul', { class: 'deps' }, task.dependencies.map(d => el('li', {}, link(d), ' ', badge(d.status, words(d.status)), ' ',
          el('span', { class: 'muted' }, d.kind + (d.satisfied ? ', satisfied' : ', waiting')))))
        : el('p', { class: 'muted' }, 'Nothing.'),
      el('h4', {}, 'Needed by'),
      detail.dependents.length
        ? el('ul', { class: 'deps' }, detail.dependents.map(d => el('li', {}, link(d), ' ', badge(d.status, words(d.status)), ' ', el('span', { class: 'muted' }, d.kind))))
        : el('p', { class: 'muted' }, 'No task depends on it.'),
      el('h3', {}, 'Artifacts'),
      task.artifacts && task.artifacts.length
        ? el('ul', { class: 'artifacts' }, task.artifacts.map(a => el('li', {},
          el('strong', {}, words(a.artifact_type)), ': ', a.summary, ' ',
          el('span', { class: 'muted' }, a.content_length + ' characters' + (a.file_paths.length ? ', files ' + a.file_paths.join(', ') : '')))))
        : el('p', { class: 'muted' }, 'No artifacts.'),
      el('h3', {}, 'History'),
      detail.events.length
        ? table('Events of the task', ['When', 'What', 'Change', 'By'], detail.events.map(e => el('tr', {},
          el('td', {}, time(e.at)), el('td', {}, words(e.kind)), el('td', {}, e.from || e.to ? (e.from || '—') + ' → ' + (e.to || '—') : ''), el('td', {}, e.actor || ''))))
        : el('p', { class: 'muted' }, 'No events.'),
      detail.events_truncated ? el('p', { class: 'muted' }, 'Showing the oldest ' + detail.events.length + ' events; newer ones exist.') : null);
  }
}
