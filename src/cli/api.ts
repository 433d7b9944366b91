import { ApiClient, networkReason, type ApiResult } from '../client/http.js';
import { nodeTransport, type NodeTransport } from '../client/node.js';
import type { Me, Page, RankedEntry, StatsRow, Tokens } from '../client/types.js';

export { networkReason } from '../client/http.js';
export { tokenExpiry } from '../client/tokens.js';

/**
 * The public HTTP API as the terminal client uses it: the shared client (bearer token, one refresh
 * and replay on `token_not_valid`, docs/api.md), with every failure turned into an `ApiError`
 * whose message is the status line text: `(<status>) <detail>` for an answer of the server,
 * `Cannot reach the server: <why>` when there was none.
 */

export type QueueMode = 'duel' | 'ranked';

/** Short texts for the 401 codes of the API, shown on the main screen. */
const AUTH_CODE_TEXTS: Record<string, string> = {
  token_not_valid: 'session expired',
  user_not_found: 'account not found',
  not_authenticated: 'not logged in',
  authentication_failed: 'authentication failed',
  sse_connection_required: 'the live stream is not connected',
};

export class ApiError extends Error {
  /**
   * `status` 0: no answer at all (the server is down or unreachable); `detail`
   * then says why in a few words (`connection refused`).
   */
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | null = null,
    readonly body: unknown = null,
  ) {
    super(status === 0 ? `Cannot reach the server: ${detail}` : `(${status}) ${detail}`);
    this.name = 'ApiError';
  }
}

/** The error says that the server could not be reached, or that it does not see the live stream (yet). */
export function isConnectionError(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.code === 'sse_connection_required');
}

/** `localhost:4443` → `https://localhost:4443`; no trailing slash. */
export function normalizeServer(input: string): string {
  const trimmed = input.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`unsupported scheme ${url.protocol}`);
  return `${url.protocol}//${url.host}`;
}

const codeOf = (body: unknown) =>
  (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : null);

/**
 * The first readable message of an error body: `detail` (after the short text of its 401 code), else the
 * first field error, named by its field: one status line has no form around it to point at the field.
 */
export function errorText(body: unknown): string | null {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 200) : null;
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if (typeof record.detail === 'string') {
    const code = codeOf(record);
    return code && AUTH_CODE_TEXTS[code] && code !== 'sse_connection_required' ? `${AUTH_CODE_TEXTS[code]}: ${record.detail}` : record.detail;
  }
  for (const [field, value] of Object.entries(record)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') return field === 'non_field_errors' || field === 'detail' ? first : `${field}: ${first}`;
  }
  return null;
}

function refusal(status: number, body: unknown): ApiError {
  return new ApiError(status, errorText(body) ?? (status >= 500 ? 'service unavailable' : `HTTP ${status}`), codeOf(body), body);
}

/** What openapi-fetch answers (`ApiClient.typed`). */
interface TypedAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface ApiOptions {
  /** Accept a self-signed certificate. */
  insecure?: boolean;
  /** Milliseconds to wait for an answer. */
  timeoutMs?: number;
}

export class Api {
  readonly client: ApiClient;
  /** One connection pool for the API calls and the live stream (the game socket opens its own). */
  readonly transport: NodeTransport;

  constructor(readonly baseUrl: string, options: ApiOptions = {}) {
    this.transport = nodeTransport({ insecure: options.insecure });
    this.client = new ApiClient({ baseUrl, fetch: this.transport.fetch, Request: this.transport.Request, timeoutMs: options.timeoutMs });
  }

  get tokens(): Tokens | null {
    return this.client.tokens;
  }

  set tokens(tokens: Tokens | null) {
    this.client.setTokens(tokens);
  }

  /** `POST /api/auth/refresh/`; concurrent callers share one refresh. */
  async refreshAccess(): Promise<string> {
    if (!this.tokens) throw new ApiError(401, 'not logged in', 'not_authenticated');
    if (!(await this.client.refresh())) throw this.refreshError();
    return this.tokens!.access;
  }

  /** The access token, refreshed first when it expires within 30 s (for the stream and the game socket). */
  async freshAccess(): Promise<string> {
    if (!this.tokens) throw new ApiError(401, 'not logged in', 'not_authenticated');
    const access = await this.client.freshAccess();
    if (!access) throw this.refreshError();
    return access;
  }

  /** Why the session could not be renewed: an unreachable server is a connection error, not the end of the session. */
  private refreshError(): ApiError {
    const unreachable = this.client.refreshFailure;
    return unreachable ? new ApiError(0, unreachable) : new ApiError(401, 'the server refused to renew the session', 'token_not_valid');
  }

  async login(username: string, password: string): Promise<Tokens> {
    return this.begin(this.client.typed.POST('/api/auth/login/', { body: { username, password } }));
  }

  /** A new account (`POST /api/auth/register/`), not a guest conversion. */
  async register(username: string, password: string): Promise<Tokens> {
    return this.begin(this.client.typed.POST('/api/auth/register/', { body: { username, password } }));
  }

  async guest(): Promise<Tokens> {
    return this.begin(this.client.typed.POST('/api/auth/guest/'));
  }

  me(): Promise<Me> {
    return this.answer(this.client.typed.GET('/api/users/me/'));
  }

  stats(): Promise<StatsRow[]> {
    return this.answer(this.client.typed.GET('/api/users/me/stats/'));
  }

  /** The latest ranked trophy changes, newest first. */
  async rankedHistory(count = 5): Promise<RankedEntry[]> {
    const page = (offset: number) =>
      this.result(this.client.request<Page<RankedEntry>>('GET', `/api/users/me/stats/ranked/?limit=${count}&offset=${offset}`));
    const first = await page(0);
    const last = first.count <= count ? first : await page(first.count - count);
    return [...last.results].reverse();
  }

  async enterQueue(mode: QueueMode): Promise<void> {
    await this.answer(mode === 'duel' ? this.client.typed.POST('/api/play/duel/') : this.client.typed.POST('/api/play/ranked/'));
  }

  async leaveQueue(mode: QueueMode): Promise<void> {
    await this.answer(mode === 'duel' ? this.client.typed.DELETE('/api/play/duel/') : this.client.typed.DELETE('/api/play/ranked/'));
  }

  /** `/gameConfig.json`, or null when it cannot be read (the built-in values then apply). */
  async gameConfig(): Promise<unknown> {
    const answer = await this.client.request('GET', '/gameConfig.json', undefined, { anonymous: true });
    return answer.ok ? answer.data : null;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async begin(call: Promise<TypedAnswer<Tokens>>): Promise<Tokens> {
    const { access, refresh } = await this.answer(call);
    this.tokens = { access, refresh };
    return this.tokens;
  }

  private async answer<T>(call: Promise<TypedAnswer<T>>): Promise<T> {
    let answer: TypedAnswer<T>;
    try {
      answer = await call;
    } catch (error) {
      throw new ApiError(0, networkReason(error));
    }
    if (!answer.response.ok) throw refusal(answer.response.status, answer.error);
    return answer.data as T;
  }

  private async result<T>(call: Promise<ApiResult<T>>): Promise<T> {
    const answer = await call;
    if (answer.status === 0) throw new ApiError(0, answer.failure ?? 'network error');
    if (!answer.ok) throw refusal(answer.status, answer.data);
    return answer.data;
  }
}
