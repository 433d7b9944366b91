import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real dependency (PostgreSQL, Redis) that a test
 * can cut and restore, without touching the dependency itself:
 * - `stop()`: like the service going down: open connections are reset and new
 *   ones are refused (ECONNREFUSED);
 * - `blackhole()`: like the network dropping packets: open connections stay
 *   open but nothing passes any more (for ever: the middlebox forgot them),
 *   new ones are accepted but never answered;
 * - `restore()`: the service is back on the same address.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<Socket>();
  /** Connections silenced by a black hole: open, never forwarded again. */
  private readonly stalled = new Set<Socket>();
  private mode: 'up' | 'blackhole' = 'up';
  port = 0;
  /** Connections accepted since the start (each one of the client). */
  accepted = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.listen(0);
    return proxy;
  }

  private listen(port: number): Promise<void> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    this.pairs.add(client);
    client.on('error', () => {});
    client.on('close', () => this.pairs.delete(client));
    if (this.mode === 'blackhole') return;
    const upstream = connect(this.target.port, this.target.host);
    this.pairs.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => {
      this.pairs.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    this.links.set(client, upstream);
  }

  private readonly links = new Map<Socket, Socket>();

  /** Rewrites `url` (postgres://, redis://) to go through the proxy. */
  urlFor(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  private dropAll(): void {
    for (const socket of this.pairs) socket.resetAndDestroy();
    this.pairs.clear();
    this.links.clear();
  }

  /** The dependency stops: connections reset, new ones refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The dependency becomes unreachable: open connections go silent, new ones hang. */
  async blackhole(): Promise<void> {
    this.mode = 'blackhole';
    for (const [client, upstream] of this.links) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
      this.stalled.add(client).add(upstream);
      this.pairs.delete(client);
      this.pairs.delete(upstream);
    }
    this.links.clear();
    if (!this.server) await this.listenAgain();
  }

  /** The dependency is back at the same address (connections silenced meanwhile stay silent). */
  async restore(): Promise<void> {
    if (this.mode === 'blackhole') this.dropAll();
    this.mode = 'up';
    if (!this.server) await this.listenAgain();
  }

  private async listenAgain(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.listen(this.port);
        return;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async close(): Promise<void> {
    for (const socket of this.stalled) socket.destroy();
    this.stalled.clear();
    await this.stop();
  }
}
