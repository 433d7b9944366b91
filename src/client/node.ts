/**
 * What a Node program adds to the client: a `fetch` (with its Request class) and a WebSocket that can
 * accept a self-signed certificate (`insecure`, for a local server), from undici and ws. Browsers use
 * their own and never import this file.
 */
import { Agent, fetch as undiciFetch, Request as UndiciRequest } from 'undici';
import WebSocket from 'ws';
import { ApiClient, type ApiClientOptions } from './http.js';

export interface NodeTransport {
  fetch: (request: Request) => Promise<Response>;
  Request: typeof Request;
  /** For the event stream. */
  fetchUrl: (url: string, init: RequestInit) => Promise<Response>;
  /** For the game socket. */
  WebSocket: new (url: string) => WebSocket;
  close(): Promise<void>;
}

export function nodeTransport(options: { insecure?: boolean } = {}): NodeTransport {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: !options.insecure }, keepAliveTimeout: 10_000 });
  const fetchUrl = (input: unknown, init?: unknown) =>
    undiciFetch(input as never, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
  class InsecureWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { rejectUnauthorized: !options.insecure });
    }
  }
  return {
    fetch: (request) => fetchUrl(request),
    Request: UndiciRequest as unknown as typeof Request,
    fetchUrl: (url, init) => fetchUrl(url, init),
    WebSocket: InsecureWebSocket,
    // Quitting does not wait for requests still in flight.
    close: () => dispatcher.destroy(),
  };
}

/** An API client for a Node program. */
export function nodeApiClient(options: ApiClientOptions & { insecure?: boolean }): { api: ApiClient; transport: NodeTransport } {
  const transport = nodeTransport({ insecure: options.insecure });
  const api = new ApiClient({ ...options, fetch: transport.fetch, Request: transport.Request });
  return { api, transport };
}
