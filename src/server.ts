import { networkInterfaces } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildInternalApp, buildPublicApp, type AppOptions } from './app.js';
import type { Config } from './config.js';
import { createPlatform, type Platform } from './context.js';
import type { Clock } from './platform/clock.js';
import { loadTls } from './platform/tls.js';
import { guardConnections } from './platform/http/connection-guard.js';
import { trackConnections } from './platform/http/drain.js';
import { CloseCodes, ErrorTexts } from './game/protocol.js';

export interface RunningServer {
  platform: Platform;
  publicApp: FastifyInstance;
  internalApp: FastifyInstance | null;
  /** e.g. https://127.0.0.1:4443 (http:// with TLS=off) */
  publicUrl: string;
  /** e.g. http://127.0.0.1:4444, or null when INTERNAL_PORT is unset. */
  internalUrl: string | null;
  /** The address the other nodes reach this one at (game sockets are proxied to it). */
  peerUrl: string;
  /**
   * Graceful shutdown: readiness turns 503 (for SHUTDOWN_DELAY_MS), then the
   * listeners stop accepting, rooms are disposed and released (players
   * reconnect to another node, which takes the match over), SSE streams are
   * closed (clients resume elsewhere with Last-Event-ID), in-flight requests
   * finish (SHUTDOWN_TIMEOUT_MS at most), and resources are released.
   */
  close(): Promise<void>;
}

function addressOf(app: FastifyInstance): { host: string; port: number } {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP');
  return { host: address.family === 'IPv6' ? `[${address.address}]` : address.address, port: address.port };
}

const schemeOf = (config: Config) => (config.tls ? 'https' : 'http');

/** NODE_URL, or this node's own address: the bound host, or the first external IPv4 address when bound to every interface. */
export function peerUrlOf(config: Config, port: number): string {
  if (config.nodeUrl) return config.nodeUrl;
  let host = config.host;
  if (host === '0.0.0.0' || host === '::' || host === '') {
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    host = external?.address ?? '127.0.0.1';
  }
  return `${schemeOf(config)}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Connections the kernel may hold for the public port before the server accepts them. */
const LISTEN_BACKLOG = 4096;

/** Builds one node and starts listening: the public HTTPS port and, when configured, the loopback internal port. */
export async function startServer(config: Config, options: { clock?: Clock } & AppOptions = {}): Promise<RunningServer> {
  const platform = await createPlatform(config, options);
  const tls = config.tls ? await loadTls({ dataDir: config.dataDir, certPath: config.tlsCert, keyPath: config.tlsKey }) : null;
  const publicApp = await buildPublicApp(platform, tls, { logStream: options.logStream });
  const connections = trackConnections(publicApp.server as never);
  // Idle and half-open connections are bounded: per address, for the process, and by deadlines (TLS=off too).
  guardConnections(publicApp.server as never, {
    total: config.maxConnections,
    perAddress: config.maxConnectionsPerAddress,
    handshakeMs: config.tls ? config.tlsHandshakeTimeoutMs : 0,
    headersMs: config.headersTimeoutMs,
    trustProxy: config.trustProxy,
  }, platform.metrics);
  // A long accept queue (the kernel caps it at net.core.somaxconn): a burst of connections that the limits will close
  // at once waits there instead of having its SYNs, and those of fresh clients, dropped (a 1 s retransmission each).
  await publicApp.listen({ host: config.host, port: config.port, backlog: LISTEN_BACKLOG });
  let internalApp: FastifyInstance | null = null;
  if (config.internalPort !== null) {
    internalApp = await buildInternalApp(platform, { logStream: options.logStream });
    await internalApp.listen({ host: '127.0.0.1', port: config.internalPort });
  }
  const pub = addressOf(publicApp);
  const publicHost = pub.host === '0.0.0.0' || pub.host === '[::]' ? '127.0.0.1' : pub.host;
  const peerUrl = peerUrlOf(config, pub.port);
  await platform.nodes.setUrl(peerUrl);
  // Last: building the apps compiles every route's schemas, seconds of blocked event loop on a loaded machine; a lease
  // taken before that could lapse unrenewed, and another node take the leadership from a node that is just starting.
  await platform.leadership.start();

  let closing: Promise<void> | null = null;
  const drain = async () => {
    platform.status.draining = true;
    // Hand the leadership (matchmaker, deadlines) over first: another node takes it at once.
    platform.play.queues.stop();
    await platform.leadership.stop().catch(() => {});
    if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
    platform.rooms.disposeAll(CloseCodes.restarting, ErrorTexts.restarting);
    await platform.directory.releaseAll().catch(() => {});
    const appsClosed = Promise.allSettled([publicApp.close(), internalApp?.close()]);
    connections.closeIdle();
    await platform.hub.stop();
    await Promise.race([appsClosed, sleep(config.shutdownTimeoutMs)]);
    await platform.close();
  };
  // The computer players (lobbies, games against the computer, tournaments) play over the real WebSocket of this very node.
  const publicUrl = `${schemeOf(config)}://${publicHost}:${pub.port}`;
  platform.play.bots.attach(publicUrl);
  return {
    platform,
    publicApp,
    internalApp,
    publicUrl,
    internalUrl: internalApp ? `http://127.0.0.1:${addressOf(internalApp).port}` : null,
    peerUrl,
    close() {
      closing ??= drain();
      return closing;
    },
  };
}
