import { Agent, request as undiciRequest } from 'undici';

/** One connection pool for the whole test process; the servers use self-signed certificates. */
export const insecureAgent = new Agent({ connect: { rejectUnauthorized: false }, keepAliveTimeout: 10_000, connections: 64 });

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (for malformed JSON and other hostile input). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Omit the JSON content type. */
  noContentType?: boolean;
}

/**
 * TEST_TWO_NODES: the addresses of the nodes behind one test server, keyed
 * by the first node's address. Every request, stream and socket opened on
 * that address goes to the nodes in turn (a round-robin load balancer).
 */
const nodeSets = new Map<string, { urls: string[]; next: number }>();

export function registerNodeUrls(primary: string, urls: string[]): () => void {
  nodeSets.set(primary, { urls, next: 0 });
  return () => { nodeSets.delete(primary); };
}

/** The address the next request to `baseUrl` goes to: `baseUrl` itself, or the next node of its set. */
export function nodeUrlFor(baseUrl: string): string {
  const set = nodeSets.get(baseUrl);
  if (!set) return baseUrl;
  const url = set.urls[set.next % set.urls.length];
  set.next += 1;
  return url;
}

/** A client bound to one base URL, speaking real HTTP(S). */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.noContentType) headers['content-type'] ??= 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const target = nodeUrlFor(this.baseUrl);
    // Like a load balancer, the other node gets the Host the client asked for (absolute links are built from it).
    if (target !== this.baseUrl) headers.host ??= new URL(this.baseUrl).host;
    const response = await undiciRequest(`${target}${path}`, { method: method as any, headers, body, dispatcher: insecureAgent });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the test reads `text`.
    }
    return { status: response.statusCode, body: parsed as T, text, headers: response.headers };
  }

  get<T = any>(path: string, options?: RequestOptions) { return this.request<T>('GET', path, options); }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.request<T>('POST', path, { ...options, body }); }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.request<T>('PUT', path, { ...options, body }); }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.request<T>('PATCH', path, { ...options, body }); }
  delete<T = any>(path: string, body?: unknown, options?: RequestOptions) { return this.request<T>('DELETE', path, { ...options, body }); }
}

export interface TestUser {
  id: number;
  username: string;
  password: string;
  access: string;
  refresh: string;
}

let counter = 0;
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${process.pid % 1000}x${counter}${Math.random().toString(36).slice(2, 5)}`;
}

/** Registers a fresh account and returns its tokens and id. */
export async function registerUser(api: ApiClient, username = uniqueName(), password = 'Str0ng-Passw0rd!'): Promise<TestUser> {
  const created = await api.post('/api/auth/register/', { username, password });
  if (created.status !== 201) throw new Error(`register ${username}: ${created.status} ${created.text}`);
  const me = await api.get('/api/users/me/', { token: created.body.access });
  return { id: me.body.id, username, password, access: created.body.access, refresh: created.body.refresh };
}

export async function createGuest(api: ApiClient): Promise<TestUser> {
  const created = await api.post('/api/auth/guest/');
  if (created.status !== 201) throw new Error(`guest: ${created.status} ${created.text}`);
  const me = await api.get('/api/users/me/', { token: created.body.access });
  return { id: me.body.id, username: me.body.username, password: '', access: created.body.access, refresh: created.body.refresh };
}
