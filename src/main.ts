import { loadConfig } from './config.js';
import { startServer } from './server.js';

const config = loadConfig();
const server = await startServer(config);
server.publicApp.log.info(`serving ${server.publicUrl}${server.internalUrl ? `, internal API on ${server.internalUrl}` : ''}`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.publicApp.log.info(`${signal}: draining (readiness 503), then shutting down`);
    // Whatever hangs (a dependency that does not answer), the process goes.
    setTimeout(() => process.exit(1), config.shutdownDelayMs + config.shutdownTimeoutMs + 10_000).unref();
    server.close().then(() => process.exit(0), () => process.exit(1));
  });
}
