// Talks to the server's /api: adds the bearer token, the workspace the page was opened for, and turns
// the server's error envelope {"error": {...}} into an ApiError with its message and hint.

const TOKEN_KEY = 'task-orchestrator.token';

/** An error answered by the API, carrying its envelope's fields. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : { code: 'http_' + status, message: 'The server answered HTTP ' + status + '.' };
    super(error.message);
    this.status = status;
    this.code = error.code;
    this.hint = error.hint || null;
  }
}

/** Takes a token from the URL fragment (#token=...) into session storage and removes it from the address bar. */
export function captureToken() {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (!match) {
    return;
  }
  const token = decodeURIComponent(match[1]);
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  }
  history.replaceState(null, '', location.pathname + location.search);
}

export function setToken(token) {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

export function hasToken() {
  return sessionStorage.getItem(TOKEN_KEY) !== null;
}

/** Headers every API request carries. */
export function authHeaders() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: 'Bearer ' + token } : {};
}

/** The URL of an API path with its parameters and the page's ?workspace=. */
export function apiUrl(path, params) {
  const url = new URL(path, location.origin);
  const workspace = new URLSearchParams(location.search).get('workspace');
  if (workspace) {
    url.searchParams.set('workspace', workspace);
  }
  for (const [name, value] of Object.entries(params || {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) {
        url.searchParams.append(name, String(item));
      }
    }
  }
  return url;
}

/** GETs JSON; throws ApiError for any answer but 2xx. */
export async function getJson(path, params) {
  const response = await fetch(apiUrl(path, params), { headers: { Accept: 'application/json', ...authHeaders() }, cache: 'no-store' });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}
