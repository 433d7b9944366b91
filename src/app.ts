import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Platform } from './context.js';
import { authRoutes } from './features/auth/routes.js';
import { chatInternalRoutes, chatRoutes } from './features/chat/routes.js';
import { eventStreamRoutes } from './features/events/routes.js';
import { healthRoutes, metricsRoute } from './features/health/routes.js';
import { internalPlatformRoutes } from './features/internal/routes.js';
import { usersRoutes } from './features/users/routes.js';
import { friendsRoutes } from './features/friends/routes.js';
import { blockingRoutes } from './features/blocking/routes.js';
import { statsInternalRoutes, statsRoutes } from './features/stats/routes.js';
import { matchesInternalRoutes, matchesRoutes } from './features/matches/routes.js';
import { gameSocketRoutes } from './features/game/routes.js';
import { replaysRoutes } from './features/replays/routes.js';
import { queueRoutes } from './features/play/routes.js';
import { lobbyRoutes } from './features/lobby/routes.js';
import { tournamentRoutes } from './features/tournament/routes.js';
import { computerRoutes } from './features/computer/routes.js';
import { webRoutes } from './features/web/routes.js';
import { activityRoutes } from './features/activity/routes.js';
import { LoginGuard } from './features/auth/login-guard.js';
import { limitOpenRequests } from './platform/http/connection-guard.js';
import { GuessThrottle, installGuessThrottle } from './platform/http/guess-throttle.js';
import { privateLoggerOptions } from './platform/http/log-privacy.js';
import { lazySerializers } from './platform/http/lazy-serializers.js';
import { installPipeline } from './platform/http/pipeline.js';
import { installRateLimits } from './platform/http/rate-limit.js';
import { installSecurityHeaders, requireInternalToken } from './platform/http/security-headers.js';
import { installHttpMetrics } from './platform/metrics.js';
import type { TlsMaterial } from './platform/tls.js';
import { clientErrorHandler, installUrlLimit, MAX_HEADER_BYTES } from './platform/http/url-limit.js';

/** HTTP/2 streams one connection may have open at once (browsers open a handful; the benchmarks 100). */
const MAX_STREAMS_PER_CONNECTION = 128;

/** Where the apps write their log lines (tests capture them); standard output by default. */
export interface AppOptions {
  logStream?: { write(line: string): void };
}

function baseOptions(platform: Platform, options: AppOptions): FastifyServerOptions {
  return {
    // No secrets (tokens in URLs, headers, password fields) and no full client addresses in any line.
    logger: privateLoggerOptions(platform.config.logLevel, options.logStream, platform.config.logFormat),
    bodyLimit: platform.config.bodyLimitBytes,
    routerOptions: { maxParamLength: 200 },
    trustProxy: platform.config.trustProxy,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false, verbose: true, keywords: ['x-choice-message'] } },
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
  };
}

/**
 * The public app: API, SSE stream, docs; a table of contents of the feature plugins. HTTPS (HTTP/2
 * and 1.1), or plain HTTP/1.1 without `tls` (a node behind a TLS-terminating proxy, TLS=off).
 */
export async function buildPublicApp(platform: Platform, tls: TlsMaterial | null, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    ...baseOptions(platform, options),
    ...(tls
      ? {
        http2: true,
        https: {
          allowHTTP1: true, key: tls.key, cert: tls.cert,
          // A connection that never finishes (or never starts) its handshake is closed after this.
          handshakeTimeout: config.tlsHandshakeTimeoutMs,
          // Far more streams than a browser opens on one connection; one connection cannot hold unbounded requests.
          settings: { maxConcurrentStreams: MAX_STREAMS_PER_CONNECTION },
        },
      }
      : { http: { maxHeaderSize: MAX_HEADER_BYTES } }),
    // An HTTP/1.1 request that cannot be parsed (a head over the limits, a timeout) gets the platform's error body.
    clientErrorHandler,
    // On close, HTTP/2 sessions get a GOAWAY (their in-flight streams finish) instead of holding the listener open.
    forceCloseConnections: true,
  } as FastifyServerOptions) as unknown as FastifyInstance;
  // The HTTP/1.1 fallback of the HTTP/2 server reads its head limit from the server object.
  (app.server as { maxHeaderSize?: number }).maxHeaderSize = MAX_HEADER_BYTES;

  installUrlLimit(app);
  limitOpenRequests(app, { perAddress: config.maxConnectionsPerAddress, trustProxy: config.trustProxy });
  installSecurityHeaders(app, { hsts: true });
  installPipeline(app, platform.auth);
  const guesses = new GuessThrottle({ perMinute: config.codeGuessesPerMinute, clock: platform.clock, redis: platform.redis });
  installGuessThrottle(app, guesses);
  installHttpMetrics(app, platform.metrics, 'public');
  await installRateLimits(app, {
    writesPerMinute: platform.config.rateLimitPerMinute,
    loginsPerMinute: platform.config.loginRateLimitPerMinute,
    redis: platform.redis,
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Pong platform API', version: '1.0.0', description: 'The public API of the Pong platform: accounts and guests, friends, blocking, chat, matchmaking, lobbies, tournaments, matches and statistics, as JSON with bearer tokens. Live events come over Server-Sent Events (`/sse/users/`) and the game over a WebSocket (`/ws/game/`). The conventions every endpoint follows (authentication, errors, pagination, throttling) are in docs/api.md of the repository.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(healthRoutes(platform));
  // Metrics live on the internal port; here only for a scraper that holds METRICS_TOKEN.
  if (config.metricsToken) await app.register(metricsRoute(platform, { bearer: config.metricsToken }));
  const logins = new LoginGuard({ threshold: config.loginFailuresPerAccount, clock: platform.clock, redis: platform.redis, secret: config.jwtSecret });
  await app.register(authRoutes(platform.auth, logins));
  await app.register(usersRoutes(platform.users, platform.account));
  await app.register(friendsRoutes(platform.friends));
  await app.register(blockingRoutes(platform.blocking));
  await app.register(statsRoutes(platform.stats));
  await app.register(chatRoutes(platform.chat));
  await app.register(matchesRoutes(platform.matches));
  await app.register(replaysRoutes(platform.replays));
  await app.register(gameSocketRoutes({ ...platform, guesses }));
  await app.register(queueRoutes(platform.play.queues));
  await app.register(lobbyRoutes(platform.play.lobbies));
  await app.register(tournamentRoutes(platform.tournaments, platform.tournamentBots));
  await app.register(computerRoutes(platform.play.computer));
  await app.register(eventStreamRoutes(platform.hub, { streamsPerUser: config.sseStreamsPerUser }));
  await app.register(activityRoutes(platform.activity.service, platform.auth, guesses));
  await app.register(webRoutes());
  return app;
}

/** The private API, plain HTTP on 127.0.0.1 only: used by tools and tests to inject events and force results. */
export async function buildInternalApp(platform: Platform, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(baseOptions(platform, options)) as unknown as FastifyInstance;
  installSecurityHeaders(app, { hsts: false });
  // First: without the token (when one is set) nothing else runs, not even authentication.
  requireInternalToken(app, platform.config.internalToken);
  installPipeline(app, platform.auth);
  installHttpMetrics(app, platform.metrics, 'internal');
  await app.register(metricsRoute(platform));
  await app.register(internalPlatformRoutes({ events: platform.events }));
  await app.register(statsInternalRoutes(platform.stats));
  await app.register(chatInternalRoutes(platform.chat));
  await app.register(matchesInternalRoutes(platform.matches));
  return app;
}
