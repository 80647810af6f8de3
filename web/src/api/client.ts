// Thin fetch wrapper for the Voxdial HTTP API (described at /api/openapi.json).
// - Sends `X-CSRF-Token` (value of cookie `voxdial_csrf`) on every non-GET request.
// - Turns error bodies `{code, message, field}` into ApiError.
// - Calls the registered handlers on 401 (go to /login) and on 403 PASSWORD_CHANGE_REQUIRED.

export const CSRF_COOKIE = 'voxdial_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  /** The whole error body, for errors with extra data (409 CONCURRENCY's `holders`). */
  readonly body?: unknown;
  constructor(status: number, code: string, message: string, field?: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

/** Reads one cookie's value from a `document.cookie` style string. */
export function readCookie(cookieString: string, name: string): string | undefined {
  for (const part of cookieString.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (key === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}

/** True for methods that change state and so need the CSRF header. */
export function needsCsrf(method: string): boolean {
  const m = method.toUpperCase();
  return m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS';
}

/** The extra headers a request needs for CSRF protection. */
export function csrfHeaders(method: string, cookieString: string): Record<string, string> {
  if (!needsCsrf(method)) return {};
  const token = readCookie(cookieString, CSRF_COOKIE);
  return token ? { [CSRF_HEADER]: token } : {};
}

export interface AuthHandlers {
  onUnauthorized?: () => void;
  onPasswordChangeRequired?: () => void;
}

let handlers: AuthHandlers = {};

export function setAuthHandlers(h: AuthHandlers) {
  handlers = h;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Do not run the 401 / password-change redirects (login, /api/me probe). */
  skipAuthRedirect?: boolean;
  signal?: AbortSignal;
}

function currentCookies(): string {
  return typeof document === 'undefined' ? '' : document.cookie;
}

export async function apiFetch<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...csrfHeaders(method, currentCookies()),
  };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) {
    body = opts.body;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', (e as Error)?.message ?? 'network error');
  }
  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      return text as unknown as T;
    }
  }
  let code = `HTTP_${res.status}`;
  let message = res.statusText;
  let field: string | undefined;
  let errBody: unknown;
  try {
    const data = await res.json();
    errBody = data;
    if (data && typeof data === 'object') {
      if (typeof data.code === 'string') code = data.code;
      if (typeof data.message === 'string') message = data.message;
      if (typeof data.field === 'string') field = data.field;
    }
  } catch {
    /* not JSON */
  }
  const err = new ApiError(res.status, code, message, field, errBody);
  if (!opts.skipAuthRedirect) {
    if (res.status === 401) handlers.onUnauthorized?.();
    else if (res.status === 403 && code === 'PASSWORD_CHANGE_REQUIRED') handlers.onPasswordChangeRequired?.();
  }
  throw err;
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'method' | 'body'>) => apiFetch<T>(path, { ...opts, method: 'GET' }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiFetch<T>(path, { ...opts, method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => apiFetch<T>(path, { method: 'PUT', body }),
  del: <T>(path: string) => apiFetch<T>(path, { method: 'DELETE' }),
};

/** Builds a query string, leaving out empty values. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}
