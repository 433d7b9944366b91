import type { FastifyInstance } from 'fastify';
import { buildInternalApp, buildPublicApp } from './app.js';
import type { Config } from './config.js';
import { createPlatform, type Platform } from './context.js';
import type { Clock } from './platform/clock.js';
import { loadTls } from './platform/tls.js';

export interface RunningServer {
  platform: Platform;
  publicApp: FastifyInstance;
  internalApp: FastifyInstance | null;
  /** e.g. https://127.0.0.1:4443 */
  publicUrl: string;
  /** e.g. http://127.0.0.1:4444, or null when INTERNAL_PORT is unset. */
  internalUrl: string | null;
  close(): Promise<void>;
}

function addressOf(app: FastifyInstance): { host: string; port: number } {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server is not listening on TCP');
  return { host: address.family === 'IPv6' ? `[${address.address}]` : address.address, port: address.port };
}

/** Builds one node and starts listening: the public HTTPS port and, when configured, the loopback internal port. */
export async function startServer(config: Config, options: { clock?: Clock } = {}): Promise<RunningServer> {
  const platform = await createPlatform(config, options);
  const tls = await loadTls({ dataDir: config.dataDir, certPath: config.tlsCert, keyPath: config.tlsKey });
  const publicApp = await buildPublicApp(platform, tls);
  await publicApp.listen({ host: config.host, port: config.port });
  let internalApp: FastifyInstance | null = null;
  if (config.internalPort !== null) {
    internalApp = await buildInternalApp(platform);
    await internalApp.listen({ host: '127.0.0.1', port: config.internalPort });
  }
  const pub = addressOf(publicApp);
  const publicHost = pub.host === '0.0.0.0' || pub.host === '[::]' ? '127.0.0.1' : pub.host;
  return {
    platform,
    publicApp,
    internalApp,
    publicUrl: `https://${publicHost}:${pub.port}`,
    internalUrl: internalApp ? `http://127.0.0.1:${addressOf(internalApp).port}` : null,
    async close() {
      await platform.hub.stop();
      await Promise.allSettled([publicApp.close(), internalApp?.close()]);
      await platform.close();
    },
  };
}
