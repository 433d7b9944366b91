import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { MetricsRegistry } from '../metrics.js';
import { addressKey, trustedProxyMatcher } from './client-address.js';
import { throttled } from './errors.js';

/**
 * The limits of the public listener (config: MAX_CONNECTIONS,
 * MAX_CONNECTIONS_PER_ADDRESS, TLS_HANDSHAKE_TIMEOUT_MS, HEADERS_TIMEOUT_MS).
 */
export interface ConnectionLimits {
  /** Open connections of the listener; the next ones are closed before a byte is read. */
  total: number;
  /** Open connections (behind a trusted proxy: open requests) of one address; 0: no cap. */
  perAddress: number;
  /** TLS handshake deadline (0 without TLS). */
  handshakeMs: number;
  /** Deadline of every request head; the first one counts from the end of the handshake. */
  headersMs: number;
  /** TRUST_PROXY: the peers whose connections carry many clients (X-Forwarded-For). */
  trustProxy: boolean | string;
}

/** Near the total cap, an address that already holds this many connections gets no more: the last slots go to newcomers. */
const FAIR_SHARE = 4;

interface ConnectionState {
  key: string | null;
  deadline: NodeJS.Timeout | null;
  /** The socket the HTTP layer reads: the TLS socket once the handshake is done (it owns the descriptor from then on). */
  outer: Socket;
  /** Counts released (once, whichever of the raw and the TLS socket reports the close first). */
  release(): void;
}

const STATE = Symbol('pong.connection');
type Tracked = Socket & { [STATE]?: ConnectionState; _parent?: Tracked };

/** The state of the TCP connection under a socket: the raw socket itself, or the one a TLS socket (or its HTTP/2 proxy) wraps. */
function stateOf(socket: Tracked | undefined | null): ConnectionState | undefined {
  return socket?.[STATE] ?? socket?._parent?.[STATE] ?? socket?._parent?._parent?.[STATE];
}

export interface GuardedListener {
  /** Connections open now. */
  open(): number;
  /** Connections closed by a limit since the start, by reason. */
  refused(): Record<'per_address' | 'total' | 'deadline', number>;
}

/**
 * Bounds what idle connections can hold (every connection has a deadline): one address
 * cannot hold more than `perAddress` connections, the listener never holds
 * more than `total` (set below the process's descriptor limit, so that the
 * database, Redis and the files always have descriptors left), and a
 * connection that has not sent a complete request head within
 * `handshakeMs + headersMs` of being accepted (a TLS handshake never started,
 * an idle TLS session, a head sent byte by byte) is closed. Near the total
 * cap, the last slots are kept for addresses that hold almost nothing yet:
 * an attacker with many addresses still leaves room for a fresh client.
 *
 * Connections from a trusted proxy (TRUST_PROXY) carry many clients and are
 * not counted per address (the proxy bounds its own clients' idle
 * connections); the clients behind it are counted by `limitOpenRequests`.
 * Refusals are counted in `http_connections_refused_total{reason}`.
 */
export function guardConnections(server: Server, limits: ConnectionLimits, metrics?: MetricsRegistry): GuardedListener {
  const trusted = trustedProxyMatcher(limits.trustProxy);
  const perAddress = new Map<string, number>();
  const refused = { per_address: 0, total: 0, deadline: 0 };
  const reserve = Math.min(Math.max(16, Math.floor(limits.total / 10)), Math.floor(limits.total / 2));
  const firstHeadMs = limits.handshakeMs + limits.headersMs;
  let open = 0;

  const counter = metrics?.counter('http_connections_refused_total', 'Connections of the public port closed by a limit: per_address, total (descriptor budget), deadline (no request head in time).', {
    labelNames: ['reason'],
  });
  metrics?.gauge('http_open_connections', 'Connections open on the public port.', () => open);
  const refuse = (reason: keyof typeof refused) => {
    refused[reason] += 1;
    counter?.inc({ reason });
  };

  // Node closes a connection over the total before the 'connection' event (and reports it with 'drop').
  server.maxConnections = limits.total;
  server.on('drop', () => refuse('total'));

  // First, before the TLS or HTTP layer looks at the socket: a refused connection is not even handed to them
  // (wrapping it in TLS first would cost several times the refusal itself).
  const emit = server.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'connection' && !admit(args[0] as Tracked)) return false;
    return emit.call(this, event, ...args);
  } as typeof server.emit;
  function admit(socket: Tracked): boolean {
    const key = trusted(socket.remoteAddress) ? null : addressKey(socket.remoteAddress);
    const held = key === null ? 0 : perAddress.get(key) ?? 0;
    if (key !== null && limits.perAddress > 0 && held >= limits.perAddress) {
      refuse('per_address');
      socket.destroy();
      return false;
    }
    if (key !== null && open >= limits.total - reserve && held >= FAIR_SHARE) {
      refuse('total');
      socket.destroy();
      return false;
    }
    open += 1;
    if (key !== null) perAddress.set(key, held + 1);
    let released = false;
    const state: ConnectionState = {
      key,
      deadline: null,
      outer: socket,
      release() {
        if (released) return;
        released = true;
        open -= 1;
        if (state.deadline) clearTimeout(state.deadline);
        if (key === null) return;
        const left = (perAddress.get(key) ?? 1) - 1;
        if (left > 0) perAddress.set(key, left);
        else perAddress.delete(key);
      },
    };
    state.deadline = setTimeout(() => {
      state.deadline = null;
      refuse('deadline');
      state.outer.destroy();
      socket.destroy();
    }, firstHeadMs);
    state.deadline.unref();
    socket[STATE] = state;
    socket.once('close', () => state.release());
    return true;
  }
  server.on('secureConnection', (tlsSocket: Tracked) => {
    const state = stateOf(tlsSocket);
    if (!state) return;
    state.outer = tlsSocket;
    tlsSocket.once('close', () => state.release());
  });

  // A complete request head (an HTTP/1.1 request or upgrade, an HTTP/2 stream): the connection is in use.
  const served = (socket: Tracked) => {
    const state = stateOf(socket);
    if (state?.deadline) {
      clearTimeout(state.deadline);
      state.deadline = null;
    }
  };
  server.on('request', (request: IncomingMessage) => served(request.socket as Tracked));
  server.on('upgrade', (request: IncomingMessage) => served(request.socket as Tracked));

  // The heads of later requests on a kept-alive HTTP/1.1 connection: Node's own deadline, checked often enough.
  const http = server as Server & { headersTimeout?: number; connectionsCheckingInterval?: number };
  http.headersTimeout = limits.headersMs;
  http.connectionsCheckingInterval = Math.max(100, Math.min(1000, Math.floor(limits.headersMs / 4)));

  return { open: () => open, refused: () => ({ ...refused }) };
}

/**
 * Behind a trusted proxy the node sees the proxy's connections, not the
 * client's: what one client holds on the node is its open requests (event
 * streams, game sockets, requests in flight). They are capped per forwarded
 * address like direct connections are per socket address: over the cap,
 * `429 {"detail": "Request was throttled."}`. Direct connections are left to
 * `guardConnections`.
 */
export function limitOpenRequests(app: FastifyInstance, limits: Pick<ConnectionLimits, 'perAddress' | 'trustProxy'>): void {
  if (limits.perAddress <= 0 || limits.trustProxy === false) return;
  const trusted = trustedProxyMatcher(limits.trustProxy);
  const open = new Map<string, number>();
  app.addHook('onRequest', async (request, reply) => {
    if (!trusted(request.socket?.remoteAddress)) return;
    const key = addressKey(request.ip);
    const held = open.get(key) ?? 0;
    if (held >= limits.perAddress) throw throttled();
    open.set(key, held + 1);
    reply.raw.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left > 0) open.set(key, left);
      else open.delete(key);
    });
  });
}
