// Small DOM helpers. Text is always set as text, never parsed as markup: task titles and summaries come
// from agents and must stay inert.

/** Creates an element with attributes (class, data-*, aria-*, on* handlers) and children (nodes or text). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(node, child);
    } else {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces the children of a node. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** A status label; colour is never the only signal, the word is always there. */
export function badge(kind, text) {
  return el('span', { class: 'badge badge-' + kind }, text);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A <time> element for an ISO instant, or a dash. */
export function time(iso) {
  if (!iso) {
    return el('span', { class: 'muted' }, '—');
  }
  const date = new Date(iso);
  return el('time', { datetime: iso, title: iso }, timeFormat.format(date));
}

/** Words for a status or kind written in snake_case. */
export function words(name) {
  return String(name).replaceAll('_', ' ');
}

/** A short description of an error for a panel. */
export function errorText(error) {
  return error && error.hint ? error.message + ' ' + error.hint : String(error && error.message ? error.message : error);
}

/** A table with a header row and a row per item. */
export function table(caption, headers, rows) {
  return el('table', {},
    el('caption', { class: 'visually-hidden' }, caption),
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}
