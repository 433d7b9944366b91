import { ApiClient, errorText as firstError, type ApiResult, type Method, type RequestOptions } from '@client/http.js';
import { showAlert } from '../ui/alerts';
import { webTokens } from './tokens';

export type { ApiResult } from '@client/http.js';

/**
 * The tab's one API client (src/client/http.ts: bearer token, one silent refresh-and-replay on
 * `token_not_valid`), plus what only a page does: a 10 s "service unavailable" alert on 5xx and
 * network failures, and a new guest when the refresh token is refused too.
 */
let onSessionLost: (() => Promise<void>) | null = null;

export const client = new ApiClient({
  baseUrl: '',
  tokens: webTokens,
  onSessionLost: () => onSessionLost?.(),
});

/** `POST /api/auth/refresh/`; concurrent callers share one refresh. */
export function refreshTokens(): Promise<boolean> {
  return client.refresh();
}

/** What to do when the refresh token is refused too: the session layer creates a new guest. */
export function whenSessionLost(handler: () => Promise<void>): void {
  onSessionLost = handler;
}

export type CallOptions = RequestOptions;

export async function api<T = any>(method: Method, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResult<T>> {
  const result = await client.request<T>(method, path, body, options);
  if (result.status === 0 || result.status >= 500) showAlert('Service unavailable. Please try again in a moment.', 'error', 10_000);
  return result;
}

/** Pagination links may be absolute URLs or root-relative paths: both become same-origin paths. */
export function toPath(link: string): string {
  if (link.startsWith('/')) return link;
  const url = new URL(link, location.origin);
  return url.pathname + url.search;
}

/** The text to show for a failed call: the first message of the first listed field, else `detail`, else the fallback. */
export function errorText(result: ApiResult, fields: string[] = [], fallback = 'Something went wrong.'): string {
  return firstError(result.data, fields) ?? (result.status === 404 ? 'Not found.' : fallback);
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
