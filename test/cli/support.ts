import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Controller } from '../../src/cli/controller.js';

/** Waits until `check` holds on the controller (re-checked on every change and every 20 ms). */
export async function until(controller: Controller, check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  if (check()) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      clearInterval(poll);
      off();
      resolve();
    };
    const test = () => { if (check()) done(); };
    const off = controller.onChange(test);
    const poll = setInterval(test, 20);
    const timer = setTimeout(() => {
      clearInterval(poll);
      off();
      reject(new Error(`timed out waiting for ${what}; screen=${controller.screen} status=${controller.state.status?.text} stream=${controller.state.stream.status}`));
    }, timeoutMs);
  });
}

/**
 * A TCP relay in front of the test server (TLS passes through untouched), to
 * cut the client's connections like a network failure would, and to refuse
 * new ones until `restore()`.
 */
export class FlakyRelay {
  private server: Server;
  private sockets = new Set<Socket>();
  private refusing = false;
  port = 0;

  private constructor(targetPort: number) {
    this.server = createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = connect(targetPort, '127.0.0.1');
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  static async start(targetUrl: string): Promise<FlakyRelay> {
    const relay = new FlakyRelay(Number(new URL(targetUrl).port));
    await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
    relay.port = (relay.server.address() as { port: number }).port;
    return relay;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Cuts every open connection and refuses new ones. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  restore(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
