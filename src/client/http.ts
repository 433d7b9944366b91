import createFetchClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types.js';
import { tokenExpiry } from './tokens.js';
import type { Tokens } from './types.js';

/**
 * The public HTTP API as every client of this repository calls it (docs/api.md): JSON everywhere, the
 * bearer token when a session exists, one silent refresh-and-replay on `token_not_valid` (concurrent
 * callers share one refresh), and a bounded wait. Runs in the browser and in Node (which passes a
 * `fetch` of its own to accept a self-signed certificate: see `node.ts`).
 *
 * Two ways in: `typed` (openapi-fetch over the generated `paths`: path, parameters, body and answer are
 * all checked) and `request` (any path, e.g. a pagination `next` link, answer typed by the caller).
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiResult<T = unknown> {
  ok: boolean;
  /** 0 when no answer came at all (the server is down or unreachable); `failure` then says why. */
  status: number;
  data: T;
  headers?: Headers;
  failure?: string;
}

export interface RequestOptions {
  /** Send without the token (login, guest creation). */
  anonymous?: boolean;
  /** A successful answer's body as a Blob (a download) instead of JSON. */
  blob?: boolean;
}

export interface TokenStore {
  get(): Tokens | null;
  set(tokens: Tokens | null): void;
}

export interface ApiClientOptions {
  /** `https://host:4443`; '' in a browser page (same origin). */
  baseUrl: string;
  /** Where the session's tokens live (memory by default; the web client keeps them in localStorage). */
  tokens?: TokenStore;
  fetch?: (request: Request) => Promise<Response>;
  /** The Request class that goes with `fetch` (Node's undici ships its own). */
  Request?: typeof Request;
  /** Milliseconds without an answer before a call fails; 0 waits forever. */
  timeoutMs?: number;
  /** The refresh token was refused too: the session is over (the web client then creates a new guest). */
  onSessionLost?: () => void | Promise<void>;
}

/** Routes that never take the bearer token: a stale one would only get them refused. */
const ANONYMOUS_PATHS = new Set(['/api/auth/login/', '/api/auth/register/', '/api/auth/guest/', '/api/auth/refresh/']);

export function memoryTokens(initial: Tokens | null = null): TokenStore {
  let tokens = initial;
  return { get: () => tokens, set: (next) => { tokens = next; } };
}

/** Why a request got no answer, in a few words (`connection refused`, `timed out`…). */
export function networkReason(error: unknown): string {
  const err = error as { name?: string; code?: unknown; message?: string; cause?: { code?: unknown; message?: string } };
  // Node's errors have text codes; a browser's DOMException (a timeout) has a number.
  const raw = err?.cause?.code ?? err?.code;
  const code = typeof raw === 'string' ? raw : '';
  if (code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return 'the server certificate is not trusted (self-signed? start with --insecure)';
  }
  if (err?.name === 'TimeoutError') return 'timed out';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'timed out';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  return err?.cause?.message ?? err?.message ?? 'network error';
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the text is the detail.
    return { detail: text };
  }
}

const codeOf = (body: unknown) => (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : null);

export class ApiClient {
  readonly typed: Client<paths>;
  readonly baseUrl: string;
  private readonly store: TokenStore;
  private readonly send: (request: Request) => Promise<Response>;
  private readonly RequestClass: typeof Request;
  private refreshing: Promise<boolean> | null = null;
  private unanswered: string | null = null;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.store = options.tokens ?? memoryTokens();
    this.send = options.fetch ?? ((request) => fetch(request));
    this.RequestClass = options.Request ?? Request;
    this.typed = createFetchClient<paths>({
      baseUrl: this.baseUrl,
      fetch: (request) => this.exchange(request),
      Request: this.RequestClass,
    });
  }

  get tokens(): Tokens | null {
    return this.store.get();
  }

  setTokens(tokens: Tokens | null): void {
    this.store.set(tokens);
  }

  /** An absolute URL on the server (for the event stream and the game socket). */
  url(path: string): string {
    return new URL(path, this.baseUrl || globalThis.location?.origin).toString();
  }

  /**
   * One call on any path of the server. Never throws: a network failure answers status 0 with `failure`.
   * Pagination links may be absolute URLs: they are followed on this client's server.
   */
  async request<T = any>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResult<T>> {
    const relative = /^https?:/.test(path) ? (() => { const url = new URL(path); return url.pathname + url.search; })() : path;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.anonymous) headers['x-anonymous'] = '1';
    const request = new this.RequestClass(this.baseUrl + relative, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    try {
      const response = await this.exchange(request);
      const data = options.blob && response.ok ? await response.blob() : await bodyOf(response);
      return { ok: response.ok, status: response.status, data: data as T, headers: response.headers };
    } catch (error) {
      return { ok: false, status: 0, data: null as T, failure: networkReason(error) };
    }
  }

  /**
   * Why the last refresh got no answer at all (`connection refused`), null when it got one: unlike a
   * refused refresh token, an unreachable server does not end the session.
   */
  get refreshFailure(): string | null {
    return this.unanswered;
  }

  /** `POST /api/auth/refresh/`; concurrent callers share one refresh. False when the refresh token is refused (or unanswered). */
  refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      this.unanswered = null;
      const refresh = this.store.get()?.refresh;
      if (!refresh) return false;
      const answer = await this.request<Partial<Tokens>>('POST', '/api/auth/refresh/', { refresh }, { anonymous: true });
      if (answer.status === 0) this.unanswered = answer.failure ?? 'network error';
      if (!answer.ok || !answer.data?.access) return false;
      this.store.set({ access: answer.data.access, refresh: answer.data.refresh ?? refresh });
      return true;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The access token, refreshed first when it expires within 30 s (for the event stream and the game socket). */
  async freshAccess(): Promise<string | null> {
    const tokens = this.store.get();
    if (!tokens) return null;
    const expiry = tokenExpiry(tokens.access);
    if (expiry !== null && expiry - Date.now() < 30_000 && !(await this.refresh())) return null;
    return this.store.get()?.access ?? null;
  }

  /** Sends a request with the session's token; on `token_not_valid`, refreshes once and replays it. */
  private async exchange(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const anonymous = request.headers.has('x-anonymous') || ANONYMOUS_PATHS.has(path);
    request.headers.delete('x-anonymous');
    const replay = anonymous ? null : request.clone();
    const response = await this.sendOne(this.withToken(request, anonymous));
    if (!replay || response.status !== 401) return response;
    if (codeOf(await bodyOf(response.clone())) !== 'token_not_valid') return response;
    if (await this.refresh()) return this.sendOne(this.withToken(replay, false));
    // An unanswered refresh is a network blip, not the end of the session.
    if (this.refreshFailure === null) await this.options.onSessionLost?.();
    return response;
  }

  private withToken(request: Request, anonymous: boolean): Request {
    const access = this.store.get()?.access;
    if (!anonymous && access) request.headers.set('authorization', `Bearer ${access}`);
    return request;
  }

  private sendOne(request: Request): Promise<Response> {
    const timeout = this.options.timeoutMs ?? 10_000;
    if (timeout <= 0) return this.send(request);
    return this.send(new this.RequestClass(request, { signal: AbortSignal.timeout(timeout) }));
  }
}

/**
 * The text to show for a failed call: the first message of the first listed field, else `detail`, else the
 * first message of any field, else null.
 */
export function errorText(body: unknown, fields: string[] = []): string | null {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 200) : null;
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  for (const field of fields) {
    const value = record[field];
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    if (typeof value === 'string') return value;
  }
  if (typeof record.detail === 'string') return record.detail;
  for (const value of Object.values(record)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') return first;
  }
  return null;
}
