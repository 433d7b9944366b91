import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Everything the server reads from its environment, resolved once at start-up. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  internalPort: number | null;
  internalToken: string | null;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  ssePingMs: number;
  tlsCert: string | null;
  tlsKey: string | null;
  /** Writes (POST/PUT/PATCH) allowed per user (or IP when anonymous) per minute. */
  rateLimitPerMinute: number;
  /** Login attempts allowed per IP per minute (slows password guessing). */
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  logLevel: string;
  nodeId: string;
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

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });
  return {
    host: env.HOST || '0.0.0.0',
    port: intFrom(env, 'PORT', 4443),
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: env.REDIS_URL || null,
    internalPort: env.INTERNAL_PORT ? intFrom(env, 'INTERNAL_PORT', 0) : null,
    internalToken: env.INTERNAL_TOKEN || null,
    jwtSecret: jwtSecretFrom(env, dataDir),
    accessTokenTtlSeconds: parseDurationSeconds(env.ACCESS_TOKEN_TTL || '15m'),
    refreshTokenTtlSeconds: parseDurationSeconds(env.REFRESH_TOKEN_TTL || '30d'),
    ssePingMs: intFrom(env, 'SSE_PING_MS', 2000),
    tlsCert: env.TLS_CERT || null,
    tlsKey: env.TLS_KEY || null,
    rateLimitPerMinute: intFrom(env, 'RATE_LIMIT_PER_MINUTE', 1200),
    loginRateLimitPerMinute: intFrom(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 60),
    bodyLimitBytes: intFrom(env, 'BODY_LIMIT_BYTES', 256 * 1024),
    logLevel: env.LOG_LEVEL || 'info',
    nodeId: env.NODE_ID || `node-${randomBytes(4).toString('hex')}`,
  };
}
