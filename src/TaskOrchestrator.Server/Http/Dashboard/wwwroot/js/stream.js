// Reads GET /api/events with fetch and a stream reader rather than EventSource, because EventSource
// cannot send the Authorization header. Reconnects after a drop, resuming with Last-Event-ID so that
// no event is lost or repeated.

import { apiUrl, authHeaders } from './api.js';

export class EventStream {
  constructor({ since, onEvent, onState }) {
    this.lastId = since;
    this.onEvent = onEvent;
    this.onState = onState;
    this.retry = 2000;
    this.stopped = false;
    this.controller = null;
  }

  start() {
    this.run();
    addEventListener('pagehide', () => this.stop());
  }

  stop() {
    this.stopped = true;
    if (this.controller) {
      this.controller.abort();
    }
  }

  async run() {
    while (!this.stopped) {
      this.controller = new AbortController();
      try {
        const headers = { Accept: 'text/event-stream', ...authHeaders() };
        if (this.lastId !== null && this.lastId !== undefined) {
          headers['Last-Event-ID'] = String(this.lastId);
        }
        const response = await fetch(apiUrl('/api/events'), { headers, signal: this.controller.signal, cache: 'no-store' });
        if (response.status === 401) {
          this.onState('unauthorized');
          return;
        }
        if (!response.ok || !response.body) {
          throw new Error('HTTP ' + response.status);
        }
        await this.read(response.body);
      } catch {
        // A network drop or an abort; either way the loop decides below whether to go on.
      }
      if (this.stopped) {
        return;
      }
      this.onState('reconnecting');
      await new Promise(resolve => setTimeout(resolve, this.retry));
    }
  }

  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value.replaceAll('\r\n', '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.dispatch(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  dispatch(block) {
    let id = null;
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) {
        continue; // a comment: the server's heartbeat
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') {
        id = value;
      } else if (field === 'event') {
        type = value;
      } else if (field === 'data') {
        data.push(value);
      } else if (field === 'retry' && /^\d+$/.test(value)) {
        this.retry = Number(value);
      }
    }
    if (type === 'ready') {
      this.onState('live');
      return;
    }
    if (type === 'error') {
      this.onState('store-error', JSON.parse(data.join('\n')).error);
      return;
    }
    if (data.length === 0) {
      return;
    }
    if (id !== null) {
      this.lastId = id;
    }
    this.onEvent(JSON.parse(data.join('\n')));
  }
}
