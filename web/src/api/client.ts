import { showAlert } from '../ui/alerts';
import { currentTokens, refreshTokens } from './tokens';

/**
 * The one way the client calls `/api/...` (docs/api.md): JSON
 * content type on every call, the bearer token when a session exists, one
 * silent refresh-and-replay on `token_not_valid`, and a 10 s "service
 * unavailable" alert on 5xx and network failures.
 */
export interface ApiResult<T = any> {
  ok: boolean;
  status: number;
  data: T;
  headers?: Headers;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  /** Send without the Authorization header (login, guest creation). */
  anonymous?: boolean;
  /** Return the raw Response body as a Blob (data download). */
  blob?: boolean;
}

let onSessionLost: (() => Promise<void>) | null = null;

/** What to do when the refresh token is refused too: the session layer creates a new guest. */
export function whenSessionLost(handler: () => Promise<void>): void {
  onSessionLost = handler;
}

async function send(method: Method, path: string, body: unknown, options: CallOptions): Promise<ApiResult> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const access = currentTokens()?.access;
  if (access && !options.anonymous) headers.Authorization = `Bearer ${access}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (options.blob && response.ok) return { ok: true, status: response.status, data: await response.blob(), headers: response.headers };
  const text = await response.text();
  let data: any = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  return { ok: response.ok, status: response.status, data, headers: response.headers };
}

/** Pagination links may be absolute URLs or root-relative paths: both become same-origin paths. */
export function toPath(link: string): string {
  if (link.startsWith('/')) return link;
  const url = new URL(link, location.origin);
  return url.pathname + url.search;
}

export async function api<T = any>(method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResult<T>> {
  const target = path.startsWith('http') ? toPath(path) : path;
  try {
    let result = await send(method, target, body, options);
    if (result.data?.code === 'token_not_valid' && !options.anonymous) {
      if (await refreshTokens()) {
        result = await send(method, target, body, options);
      } else if (onSessionLost) {
        await onSessionLost();
        return result;
      }
    }
    if (result.status >= 500) showAlert('Service unavailable. Please try again in a moment.', 'error', 10_000);
    return result;
  } catch {
    showAlert('Service unavailable. Please try again in a moment.', 'error', 10_000);
    return { ok: false, status: 0, data: null as T };
  }
}

/**
 * The text to show for a failed call: the first message of the first
 * listed field, else `detail`, else the fallback.
 */
export function errorText(result: ApiResult, fields: string[] = [], fallback = 'Something went wrong.'): string {
  const data = result.data;
  if (data && typeof data === 'object') {
    for (const field of fields) {
      const value = data[field];
      if (Array.isArray(value) && value.length) return String(value[0]);
      if (typeof value === 'string') return value;
    }
    if (typeof data.detail === 'string') return data.detail;
    for (const value of Object.values(data)) if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return result.status === 404 ? 'Not found.' : fallback;
}

/** Every page of a paginated list, following `next` until `stop` says enough (or the end). */
export async function fetchAllPages<T>(first: string, stop: (items: T[]) => boolean = () => false): Promise<T[]> {
  const items: T[] = [];
  let next: string | null = first;
  while (next) {
    const page: ApiResult<{ results: T[]; next: string | null } | T[]> = await api('GET', next);
    if (!page.ok) break;
    if (Array.isArray(page.data)) return [...items, ...page.data];
    items.push(...page.data.results);
    if (stop(items)) break;
    next = page.data.next;
  }
  return items;
}
