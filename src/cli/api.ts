import { ApiClient, networkReason, type ApiResult } from '../client/http.js';
import { nodeTransport, type NodeTransport } from '../client/node.js';
import type { MatchObject, Me, Page, RankedEntry, StatsRow, Tokens } from '../client/types.js';
import type { ReplayDocument } from '../game/replay/index.js';
import { refusalText, serverText } from './error-text.js';

export { networkReason } from '../client/http.js';
export { tokenExpiry } from '../client/tokens.js';

/**
 * The public HTTP API as the terminal client uses it: the shared client (bearer token, one refresh
 * and replay on `token_not_valid`, docs/api.md), with every failure turned into an `ApiError`
 * whose message is the status line text: a sentence for an answer of the server (its own, or the
 * client's words for the ones that do not read well: `error-text.ts`), never a status code;
 * `Cannot reach the server: <why>` when there was none.
 */

export type QueueMode = 'duel' | 'ranked';

export class ApiError extends Error {
  /**
   * `status` 0: no answer at all (the server is down or unreachable); `detail`
   * then says why in a few words (`connection refused`). Otherwise `detail`
   * is the sentence shown (`error-text.ts`); `status` and `code` are for the
   * program, not for the person.
   */
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string | null = null,
    readonly body: unknown = null,
  ) {
    super(status === 0 ? `Cannot reach the server: ${detail}` : detail);
    this.name = 'ApiError';
  }
}

/** The error says that the server could not be reached, or that it does not see the live stream (yet). */
export function isConnectionError(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 0 || error.code === 'sse_connection_required');
}

/** A host name (letters, digits, hyphens, dots) or an IP address (IPv6 in brackets). */
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

/**
 * `localhost:4443` → `https://localhost:4443`; no trailing slash. Throws, with a readable reason, on
 * anything that is not `[http[s]://]host[:port][/]`: another scheme, a malformed one (`ht!tp://`), a
 * host with other characters, credentials, a path, a query.
 */
export function normalizeServer(input: string): string {
  const raw = input.trim();
  if (/^[^/]*:\/\/\/*$/.test(raw)) throw new Error('no host name after the scheme');
  const trimmed = raw.replace(/\/+$/, '');
  if (!trimmed) throw new Error('no address given');
  const scheme = /^([^/:]*):\/\//.exec(trimmed);
  if (scheme && !/^https?$/i.test(scheme[1])) {
    throw new Error(/^[a-z][a-z0-9+.-]*$/i.test(scheme[1]) ? `unsupported scheme ${scheme[1]}:// (use https:// or http://)` : `"${scheme[1]}://" is not a scheme (use https:// or http://)`);
  }
  if (!scheme && trimmed.includes('://')) throw new Error('malformed address (use https://host:port)');
  let url: URL;
  try {
    url = new URL(scheme ? trimmed : `https://${trimmed}`);
  } catch {
    throw new Error('malformed address (use https://host:port)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`unsupported scheme ${url.protocol} (use https:// or http://)`);
  if (!HOST.test(url.hostname)) throw new Error(`"${url.hostname || '(empty)'}" is not a host name`);
  if (url.username || url.password) throw new Error('an address with a user name or password is not supported');
  if (url.pathname !== '/' || url.search || url.hash) throw new Error('the address of a server has no path (use https://host:port)');
  return `${url.protocol}//${url.host}`;
}

const codeOf = (body: unknown) =>
  (body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : null);

/**
 * The first readable message of an error body: `detail` (or the client's words for it: `error-text.ts`),
 * else the first field error, with its field named when the message does not name it.
 */
export function errorText(body: unknown): string | null {
  return serverText(body);
}

function refusal(status: number, body: unknown): ApiError {
  return new ApiError(status, refusalText(status, body), codeOf(body), body);
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

  /** The first page of a user's finished matches, most recent first (`GET /api/game/matches/<id>/`). */
  matchHistory(userId: number, limit: number): Promise<Page<MatchObject>> {
    return this.page(`/api/game/matches/${userId}/?limit=${limit}&offset=0`);
  }

  /** A page of a list by its pagination link (`next`, `previous`: absolute URLs). */
  page<T>(link: string): Promise<Page<T>> {
    return this.result(this.client.request<Page<T>>('GET', link));
  }

  /**
   * Any call of the public API by method and path (the play features of `play/play-api.ts`), with the same
   * errors as every other call: an `ApiError` whose message is the status line text.
   */
  call<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.result(this.client.request<T>(method, path, body));
  }

  /** `GET /api/game/matches/<match id>/replay/` (docs/replays.md). */
  replay(matchId: number): Promise<ReplayDocument> {
    return this.result(this.client.request<ReplayDocument>('GET', `/api/game/matches/${matchId}/replay/`));
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
