import type { FastifyRequest } from 'fastify';

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export const DEFAULT_PAGE_SIZE = 20;

function positiveInt(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}

/** What a list may change in the platform's pagination (all optional). */
export interface PageOptions {
  /** The largest `limit` honoured: a larger one counts as this (lists that are cheap only by the page). */
  maxLimit?: number;
  /** Where the page really starts, when the server chooses it (a page around the caller). */
  offset?: number;
  /** Query parameters left out of the `next` and `previous` links (the one that chose the page). */
  dropParams?: string[];
}

/** `limit` and `offset` of a list (see docs/api.md, Pagination): bad values fall back to the defaults. */
export function pageParams(request: FastifyRequest, options: Pick<PageOptions, 'maxLimit'> = {}): { limit: number; offset: number } {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const limit = positiveInt(query.limit);
  const offset = positiveInt(query.offset);
  const wanted = limit && limit > 0 ? limit : DEFAULT_PAGE_SIZE;
  return { limit: options.maxLimit ? Math.min(wanted, options.maxLimit) : wanted, offset: offset ?? 0 };
}

function linkTo(request: FastifyRequest, overrides: Record<string, string | null>): string {
  const raw = request.raw.url ?? '/';
  const path = raw.split('?')[0];
  const params = new URLSearchParams(raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '');
  const merged = new Map<string, string>();
  for (const [k, v] of params) merged.set(k, v);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) merged.delete(k);
    else merged.set(k, v);
  }
  const query = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const host = request.headers[':authority'] ?? request.headers.host ?? 'localhost';
  return `${request.protocol}://${host}${path}${query ? `?${query}` : ''}`;
}

/** Builds the paginated answer; `fetch` reads one page of rows. */
export async function paginate<T>(
  request: FastifyRequest,
  count: number,
  fetch: (limit: number, offset: number) => Promise<T[]>,
  options: PageOptions = {},
): Promise<Page<T>> {
  const params = pageParams(request, options);
  const limit = params.limit;
  const offset = options.offset ?? params.offset;
  const dropped = Object.fromEntries((options.dropParams ?? []).map((name) => [name, null]));
  const results = offset < count ? await fetch(limit, offset) : [];
  const next = offset + limit >= count ? null : linkTo(request, { ...dropped, limit: String(limit), offset: String(offset + limit) });
  let previous: string | null = null;
  if (offset > 0) {
    previous = offset - limit <= 0
      ? linkTo(request, { ...dropped, limit: String(limit), offset: null })
      : linkTo(request, { ...dropped, limit: String(limit), offset: String(offset - limit) });
  }
  return { count, next, previous, results };
}

/** Pagination of a list already in memory. */
export function paginateArray<T>(request: FastifyRequest, items: T[], options: PageOptions = {}): Promise<Page<T>> {
  return paginate(request, items.length, async (limit, offset) => items.slice(offset, offset + limit), options);
}

/**
 * A page whose items are JSON texts already, as JSON text: lists rendered
 * once and served many times skip serialising every item on every request.
 * The route sends it with a JSON content type (Fastify sends such a string
 * as is); its response schema still describes it.
 */
export function pageJson(page: Page<string>): string {
  return `{"count":${page.count},"next":${JSON.stringify(page.next)},"previous":${JSON.stringify(page.previous)},"results":[${page.results.join(',')}]}`;
}
