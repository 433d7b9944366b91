import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the server reads from its environment, resolved once at start-up. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  /** Trophies per second the ranked window widens by; 0 keeps it fixed at ±50. */
  rankedWindowGrowth: number;
  /** SQLite commit durability: NORMAL survives process crashes, FULL also operating-system crashes. */
  sqliteSynchronous: 'FULL' | 'NORMAL';
  redisUrl: string | null;
  /** Prefix of every Redis key and channel of this deployment (several deployments on one Redis). */
  redisPrefix: string;
  internalPort: number | null;
  internalToken: string | null;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  ssePingMs: number;
  /**
   * How long after a user's last SSE stream closes he still counts as connected: a reload (or a
   * short drop) that opens a new stream within it keeps his queue, lobby and tournament seat.
   */
  streamGraceMs: number;
  /**
   * false: the public port speaks plain HTTP/1.1 (WebSocket upgrades included), for a node on a
   * private network behind a proxy that terminates TLS (TLS=off); true (default): HTTPS, HTTP/2 + 1.1.
   */
  tls: boolean;
  tlsCert: string | null;
  tlsKey: string | null;
  /** Writes (POST/PUT/PATCH) allowed per user (or IP when anonymous) per minute. */
  rateLimitPerMinute: number;
  /** Login attempts allowed per IP per minute (slows password guessing). */
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  /**
   * Whom to believe about the client address (X-Forwarded-For): false (default, the socket's
   * address), true (any proxy: only behind a load balancer that overwrites the header), or a
   * list of proxy addresses / CIDRs. Per-IP rate limits key on the result.
   */
  trustProxy: boolean | string;
  /** TLS handshake deadline of a new public connection (a connection that never starts TLS is closed after it). */
  tlsHandshakeTimeoutMs: number;
  /** Deadline of a request head: the first one counts from the end of the handshake (or the connection without TLS). */
  headersTimeoutMs: number;
  /** Open public connections of one address (behind a trusted proxy: open requests of one forwarded address); 0: no cap. */
  maxConnectionsPerAddress: number;
  /** Open public connections of the process: below the descriptor limit, so that the database, Redis and files always have some. */
  maxConnections: number;
  /** Failed joins and spectates by code (unknown code) allowed per user and per address per minute. */
  codeGuessesPerMinute: number;
  /** Messages one author may post in one chat per 10 seconds; then 429 until the window ends. */
  chatMessagesPer10Seconds: number;
  /** Failed logins on one account within 15 minutes before further attempts on it are slowed down (growing delay). */
  loginFailuresPerAccount: number;
  /** When set, the public port also serves `GET /metrics` to `Authorization: Bearer <token>` (always on the internal port). */
  metricsToken: string | null;
  /** PostgreSQL: a new connection that takes longer fails (503) instead of waiting. */
  dbConnectTimeoutMs: number;
  /** PostgreSQL: a query that takes longer fails (503) and its connection is discarded. */
  dbQueryTimeoutMs: number;
  logLevel: string;
  /** LOG_FORMAT: `pretty` (pino-pretty) or `json` lines; by default pretty only on a terminal outside production. */
  logFormat: 'json' | 'pretty';
  nodeId: string;
  /** How the other nodes reach this one (room proxying); null: derived from the bound address. */
  nodeUrl: string | null;
  /** Each node refreshes its `nodes` row this often and cleans up after dead nodes. */
  nodeHeartbeatMs: number;
  /** A node whose heartbeat is older than this is dead: its users go offline, its rooms are released. */
  nodeTtlMs: number;
  /** Cluster leadership (the matchmaker): a dead leader is replaced within this (Redis lease length; PostgreSQL retries every third of it). */
  leaderLeaseMs: number;
  /** Events kept per user for SSE resume (`Last-Event-ID`). */
  sseLogSize: number;
  /** A user's event log is forgotten this long after its last event. */
  sseLogTtlMs: number;
  /** Bytes of events kept per user for SSE resume (the newest; a resume gives back no more); also his share of the recent-deliveries window. */
  sseLogUserBytes: number;
  /** Bytes of the resume logs of all users together: this process's memory, or with Redis the deployment's (oldest dropped first). */
  sseLogTotalBytes: number;
  /** Bytes of the window of recent deliveries (Redis only: covers a delivery published before it is logged), all users together. */
  sseWindowTotalBytes: number;
  /** Bytes an SSE stream may hold for a client that does not read; above it the stream is closed (the client resumes). */
  sseStreamBufferBytes: number;
  /** The same over all streams of this process; above it the lagging streams are closed. */
  sseStreamBufferTotalBytes: number;
  /** Live streams one account may hold on this node at once (0: no limit); one more is refused with 429. */
  sseStreamsPerUser: number;
  /** SIGTERM: time readiness answers 503 before the listeners close (lets the load balancer notice). */
  shutdownDelayMs: number;
  /** SIGTERM: in-flight requests get this long to finish before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** REPLAYS=off: live rooms record nothing and finished matches get no replay (docs/replays.md). */
  replays: boolean;
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Accepts "900", "900s", "15m", "3h", "30d". */
export function parseDurationSeconds(raw: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  if (!match) throw new Error(`invalid duration "${raw}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** The JWT secret is generated once and kept in the data folder so tokens survive restarts. */
function jwtSecretFrom(env: Env, dataDir: string): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * LOG_FORMAT (`pretty` or `json`), or by default readable lines for a person
 * at a terminal (standard output a TTY, NODE_ENV not `production`) and JSON
 * lines for everything else (production, files and pipes, tests, CI).
 */
export function logFormatFrom(env: Env, stdoutIsTty: boolean): 'json' | 'pretty' {
  const set = (env.LOG_FORMAT ?? '').trim().toLowerCase();
  if (set === 'json' || set === 'pretty') return set;
  if (set !== '') throw new Error(`LOG_FORMAT must be "pretty" or "json", got "${env.LOG_FORMAT}"`);
  return stdoutIsTty && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

function trustProxyFrom(raw: string | undefined): boolean | string {
  const value = raw?.trim() ?? '';
  if (value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  return value;
}

/** The soft limit on open descriptors of this process (`ulimit -n`), or null when it cannot be read. */
export function descriptorLimit(): number | null {
  try {
    const match = /^Max open files\s+(\d+|unlimited)\s/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (match) return match[1] === 'unlimited' ? null : Number(match[1]);
  } catch {
    // Not Linux: ask the shell, which inherits the limit.
  }
  try {
    const out = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^\d+$/.test(out) ? Number(out) : null;
  } catch {
    return null;
  }
}

/**
 * MAX_CONNECTIONS, or by default 80% of the descriptor limit (at least 64
 * descriptors left over): the rest is for the database and Redis
 * connections, the internal port, proxied game sockets, files and logs.
 */
function maxConnectionsFrom(env: Env): number {
  const set = intFrom(env, 'MAX_CONNECTIONS', 0);
  if (set > 0) return set;
  const limit = descriptorLimit() ?? 1024;
  return Math.max(16, Math.min(limit - 64, Math.floor(limit * 0.8)));
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });
  return {
    host: env.HOST || '0.0.0.0',
    port: intFrom(env, 'PORT', 4443),
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    rankedWindowGrowth: intFrom(env, 'RANKED_WINDOW_GROWTH_PER_SECOND', 0),
    sqliteSynchronous: env.SQLITE_SYNCHRONOUS?.toUpperCase() === 'FULL' ? 'FULL' : 'NORMAL',
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX || '',
    internalPort: env.INTERNAL_PORT ? intFrom(env, 'INTERNAL_PORT', 0) : null,
    internalToken: env.INTERNAL_TOKEN || null,
    jwtSecret: jwtSecretFrom(env, dataDir),
    accessTokenTtlSeconds: parseDurationSeconds(env.ACCESS_TOKEN_TTL || '15m'),
    refreshTokenTtlSeconds: parseDurationSeconds(env.REFRESH_TOKEN_TTL || '30d'),
    ssePingMs: intFrom(env, 'SSE_PING_MS', 2000),
    streamGraceMs: intFrom(env, 'STREAM_GRACE_MS', 3000),
    tls: !['off', 'false', '0', 'no'].includes((env.TLS ?? '').trim().toLowerCase()),
    tlsCert: env.TLS_CERT || null,
    tlsKey: env.TLS_KEY || null,
    rateLimitPerMinute: intFrom(env, 'RATE_LIMIT_PER_MINUTE', 1200),
    loginRateLimitPerMinute: intFrom(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 60),
    bodyLimitBytes: intFrom(env, 'BODY_LIMIT_BYTES', 256 * 1024),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    tlsHandshakeTimeoutMs: Math.max(1, intFrom(env, 'TLS_HANDSHAKE_TIMEOUT_MS', 5000)),
    headersTimeoutMs: Math.max(1, intFrom(env, 'HEADERS_TIMEOUT_MS', 5000)),
    maxConnectionsPerAddress: intFrom(env, 'MAX_CONNECTIONS_PER_ADDRESS', 256),
    maxConnections: maxConnectionsFrom(env),
    codeGuessesPerMinute: Math.max(1, intFrom(env, 'CODE_GUESSES_PER_MINUTE', 10)),
    chatMessagesPer10Seconds: Math.max(1, intFrom(env, 'CHAT_MESSAGES_PER_10_SECONDS', 10)),
    loginFailuresPerAccount: Math.max(1, intFrom(env, 'LOGIN_FAILURES_PER_ACCOUNT', 5)),
    metricsToken: env.METRICS_TOKEN || null,
    dbConnectTimeoutMs: Math.max(1, intFrom(env, 'DB_CONNECT_TIMEOUT_MS', 5000)),
    dbQueryTimeoutMs: Math.max(1, intFrom(env, 'DB_QUERY_TIMEOUT_MS', 15_000)),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormatFrom(env, process.stdout.isTTY === true),
    nodeId: env.NODE_ID || `node-${randomBytes(4).toString('hex')}`,
    nodeUrl: env.NODE_URL ? env.NODE_URL.replace(/\/+$/, '') : null,
    nodeHeartbeatMs: Math.max(1, intFrom(env, 'NODE_HEARTBEAT_MS', 5000)),
    nodeTtlMs: Math.max(1, intFrom(env, 'NODE_TTL_MS', 15_000)),
    leaderLeaseMs: Math.max(150, intFrom(env, 'LEADER_LEASE_MS', 3000)),
    sseLogSize: Math.max(1, intFrom(env, 'SSE_LOG_SIZE', 100)),
    sseLogTtlMs: parseDurationSeconds(env.SSE_LOG_TTL || '5m') * 1000,
    sseLogUserBytes: Math.max(1024, intFrom(env, 'SSE_LOG_USER_BYTES', 256 * 1024)),
    sseLogTotalBytes: Math.max(1024, intFrom(env, 'SSE_LOG_TOTAL_BYTES', 256 * 1024 * 1024)),
    sseWindowTotalBytes: Math.max(1024, intFrom(env, 'SSE_WINDOW_TOTAL_BYTES', 64 * 1024 * 1024)),
    sseStreamBufferBytes: Math.max(16 * 1024, intFrom(env, 'SSE_STREAM_BUFFER_BYTES', 1024 * 1024)),
    sseStreamBufferTotalBytes: Math.max(16 * 1024, intFrom(env, 'SSE_STREAM_BUFFER_TOTAL_BYTES', 128 * 1024 * 1024)),
    sseStreamsPerUser: intFrom(env, 'SSE_STREAMS_PER_USER', 10),
    shutdownDelayMs: intFrom(env, 'SHUTDOWN_DELAY_MS', 0),
    shutdownTimeoutMs: intFrom(env, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    replays: !['off', 'false', '0', 'no'].includes((env.REPLAYS ?? '').trim().toLowerCase()),
  };
}
