import { HttpClient } from './http.js';

/**
 * The public HTTP API as the terminal client uses it (see docs/api.md):
 * JSON everywhere, the bearer token when a session exists, one refresh and
 * replay on `token_not_valid`, and every failure turned into an `ApiError`
 * whose message is the status line text: `(<status>) <detail>` for an answer
 * of the server, `Cannot reach the server: <why>` when there was none.
 */

export interface Tokens {
  access: string;
  refresh: string;
}

export interface Me {
  id: number;
  username: string;
  is_guest: boolean;
  created_at: string;
  profile_picture: { id: number; name: string } & Record<string, unknown>;
  trophies: number;
  notifications: { friend_requests: number; chats: number };
  is_online: boolean;
}

export interface StatRow {
  id: number;
  game_mode: string;
  scored: number;
  game_played: number;
  wins: number;
  longest_win_streak: number;
  current_win_streak: number;
  own_goals?: number;
  tournament_wins?: number;
}

export interface RankedRow {
  id: number;
  trophies: number;
  total_trophies: number;
  at: string;
}

export type QueueMode = 'duel' | 'ranked';

/** Short texts for the 401 codes of the API, shown on the main screen. */
const AUTH_CODE_TEXTS: Record<string, string> = {
  token_not_valid: 'session expired',
  user_not_found: 'account not found',
  not_authenticated: 'not logged in',
  authentication_failed: 'authentication failed',
  sse_connection_required: 'the live stream is not connected',
};

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);

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

/** The first readable message of an error body: `detail`, else the first field error. */
export function errorText(body: unknown): string | null {
  if (typeof body === 'string') return body.trim() ? body.trim().slice(0, 200) : null;
  if (!body || typeof body !== 'object') return null;
  const record = body as Record<string, unknown>;
  if (typeof record.detail === 'string') {
    const code = typeof record.code === 'string' ? record.code : null;
    return code && AUTH_CODE_TEXTS[code] && code !== 'sse_connection_required' ? `${AUTH_CODE_TEXTS[code]}: ${record.detail}` : record.detail;
  }
  for (const [field, value] of Object.entries(record)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') return field === 'non_field_errors' || field === 'detail' ? first : `${field}: ${first}`;
  }
  return null;
}

/** Why a request got no answer, in a few words (`connection refused`, `timed out`…). */
export function networkReason(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err?.cause?.code ?? err?.code ?? '';
  if (TLS_CODES.has(code)) return 'the server certificate is not trusted (self-signed? start with --insecure)';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'timed out';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection reset';
  return err?.cause?.message ?? err?.message ?? 'network error';
}

/** The `exp` claim (ms) of a JWT, or null. */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : null;
  } catch {
    return null;
  }
}

export interface ApiOptions {
  /** Accept a self-signed certificate. */
  insecure?: boolean;
  /** Milliseconds to wait for an answer. */
  timeoutMs?: number;
}

interface CallOptions {
  auth?: boolean;
  /** Refresh and replay once on `token_not_valid` (default true). */
  replay?: boolean;
}

export class Api {
  tokens: Tokens | null = null;
  /** One connection pool for the API calls and the live stream (the game socket uses `ws`). */
  readonly http: HttpClient;
  private refreshing: Promise<string> | null = null;

  constructor(readonly baseUrl: string, readonly options: ApiOptions = {}) {
    this.http = new HttpClient(baseUrl, { insecure: options.insecure, timeoutMs: options.timeoutMs ?? 10_000 });
  }

  async call<T>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (auth && this.tokens) headers.authorization = `Bearer ${this.tokens.access}`;
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.http.text(method, path, { headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    } catch (error) {
      throw new ApiError(0, networkReason(error));
    }
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): the text is the detail.
    }
    if (status >= 200 && status < 300) return parsed as T;
    const code = parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string' ? (parsed as { code: string }).code : null;
    if (status === 401 && code === 'token_not_valid' && auth && this.tokens && (options.replay ?? true)) {
      await this.refreshAccess();
      return this.call<T>(method, path, body, { ...options, replay: false });
    }
    const detail = errorText(parsed) ?? (status >= 500 ? 'service unavailable' : `HTTP ${status}`);
    throw new ApiError(status, detail, code, parsed);
  }

  /** `POST /api/auth/refresh/`; concurrent callers share one refresh. A failed refresh ends the session. */
  refreshAccess(): Promise<string> {
    if (!this.tokens) return Promise.reject(new ApiError(401, 'not logged in', 'not_authenticated'));
    this.refreshing ??= (async () => {
      try {
        const refresh = this.tokens!.refresh;
        const answer = await this.call<{ access: string }>('POST', '/api/auth/refresh/', { refresh }, { auth: false });
        if (this.tokens) this.tokens = { ...this.tokens, access: answer.access };
        return answer.access;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** The access token, refreshed first when it expires within 30 s (for the stream and the game socket). */
  async freshAccess(): Promise<string> {
    if (!this.tokens) throw new ApiError(401, 'not logged in', 'not_authenticated');
    const expiry = tokenExpiry(this.tokens.access);
    if (expiry !== null && expiry - Date.now() < 30_000) return this.refreshAccess();
    return this.tokens.access;
  }

  async login(username: string, password: string): Promise<Tokens> {
    this.tokens = await this.call<Tokens>('POST', '/api/auth/login/', { username, password }, { auth: false });
    return this.tokens;
  }

  /** A new account (`POST /api/auth/register/`), not a guest conversion. */
  async register(username: string, password: string): Promise<Tokens> {
    this.tokens = await this.call<Tokens>('POST', '/api/auth/register/', { username, password }, { auth: false });
    return this.tokens;
  }

  async guest(): Promise<Tokens> {
    this.tokens = await this.call<Tokens>('POST', '/api/auth/guest/', undefined, { auth: false });
    return this.tokens;
  }

  me(): Promise<Me> {
    return this.call<Me>('GET', '/api/users/me/');
  }

  stats(): Promise<StatRow[]> {
    return this.call<StatRow[]>('GET', '/api/users/me/stats/');
  }

  /** The latest ranked trophy changes, newest first. */
  async rankedHistory(count = 5): Promise<RankedRow[]> {
    const first = await this.call<{ count: number; results: RankedRow[] }>('GET', `/api/users/me/stats/ranked/?limit=${count}`);
    if (first.count <= count) return [...first.results].reverse();
    const last = await this.call<{ results: RankedRow[] }>('GET', `/api/users/me/stats/ranked/?limit=${count}&offset=${first.count - count}`);
    return [...last.results].reverse();
  }

  enterQueue(mode: QueueMode): Promise<unknown> {
    return this.call('POST', `/api/play/${mode}/`);
  }

  async leaveQueue(mode: QueueMode): Promise<void> {
    await this.call('DELETE', `/api/play/${mode}/`);
  }

  /** `/gameConfig.json`, or null when it cannot be read (the built-in values then apply). */
  async gameConfig(): Promise<unknown> {
    try {
      return await this.call<unknown>('GET', '/gameConfig.json', undefined, { auth: false });
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    this.http.close();
  }
}
