import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import WebSocket from 'ws';
import { gameSocketUrl } from '../../src/game/protocol.js';
import type { ApiResponse } from '../support/http.js';

/**
 * Clients of the abuse tests speak from chosen loopback addresses
 * (127.0.0.2, 127.0.0.3, ...: every 127/8 address is the local host on
 * Linux), so that the per-address limits see several "machines".
 */
export class ClientFrom {
  private readonly agent: Agent;

  constructor(readonly baseUrl: string, readonly localAddress: string) {
    this.agent = new Agent({ connect: { rejectUnauthorized: false }, localAddress, keepAliveTimeout: 1000, connections: 8 });
  }

  async request<T = any>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await request(`${this.baseUrl}${path}`, {
      method: method as any, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), dispatcher: this.agent,
    });
    const text = await response.body.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.statusCode, body: body as T, text, headers: response.headers };
  }

  get<T = any>(path: string, options?: { token?: string; headers?: Record<string, string> }) { return this.request<T>('GET', path, options); }
  post<T = any>(path: string, body?: unknown, options?: { token?: string; headers?: Record<string, string> }) { return this.request<T>('POST', path, { ...options, body }); }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A TCP connection that has been accepted and is still open, or was closed by the server (`closedAt`, ms after it was opened). */
export interface HeldSocket {
  socket: Socket;
  openedAt: number;
  closedAt: number | null;
}

/** A raw TCP connection from `localAddress` that never sends a byte (never starts TLS). */
export function idleTcp(url: string, localAddress: string): Promise<HeldSocket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const held: HeldSocket = { socket: netConnect({ host: hostname, port: Number(port), localAddress }), openedAt: Date.now(), closedAt: null };
    held.socket.on('error', () => {});
    held.socket.on('close', () => { held.closedAt = Date.now() - held.openedAt; });
    held.socket.once('connect', () => {
      held.socket.resume();
      resolve(held);
    });
    held.socket.once('error', reject);
  });
}

/** A TLS connection (ALPN http/1.1 or h2) from `localAddress`, handshake done, nothing sent yet. */
export function idleTls(url: string, localAddress: string, alpn: 'http/1.1' | 'h2' = 'http/1.1'): Promise<HeldSocket & { socket: TLSSocket }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    // tls.connect passes `localAddress` on to its TCP socket, which its typings do not list.
    const options = { host: hostname, port: Number(port), localAddress, rejectUnauthorized: false, ALPNProtocols: [alpn] };
    const socket = tlsConnect(options as ConnectionOptions);
    const held = { socket, openedAt: Date.now(), closedAt: null as number | null };
    socket.on('error', () => {});
    socket.on('close', () => { held.closedAt = Date.now() - held.openedAt; });
    // Flowing, so that the end of the connection is seen even though nothing is expected.
    socket.once('secureConnect', () => {
      socket.resume();
      resolve(held);
    });
    socket.once('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (real time). */
export async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Opens a game socket from `localAddress` and resolves with how the server closed it. */
export function gameSocketClose(baseUrl: string, token: string, matchCode: string, localAddress = '127.0.0.1'): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(gameSocketUrl(baseUrl, token, matchCode), { rejectUnauthorized: false, localAddress });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('the game socket was not closed'));
    }, 5000);
    ws.on('error', () => {});
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** Sends one raw HTTP/1.1 request over TLS (or plain TCP) and returns the status line and body of the answer. */
export function rawHttp1(url: string, head: string): Promise<{ status: number; body: string }> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve, reject) => {
    const options = { host: hostname, port: Number(port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] };
    const socket: Socket = protocol === 'https:' ? tlsConnect(options, () => socket.write(head)) : netConnect(options, () => socket.write(head));
    let answer = '';
    socket.on('data', (data) => { answer += data.toString(); });
    socket.on('error', (error) => { if (!answer) reject(error); });
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3})[^\r]*\r\n[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(answer);
      if (!match) reject(new Error(`no HTTP answer: ${JSON.stringify(answer.slice(0, 200))}`));
      else resolve({ status: Number(match[1]), body: match[2] });
    });
  });
}
