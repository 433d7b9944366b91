import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { pgDriver } from '../db/pg-driver.js';
import type { EventBus } from '../bus/index.js';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';

/**
 * Cluster leadership (docs/architecture.md, "One node or many"): the jobs that must run
 * on exactly one node at a time (today the matchmaker) run on the leader;
 * tournament deadlines are polled by every node, each claimed once in the database. A port with three adapters beside it:
 *
 * - `LocalLeadership`: one node (no Redis): always the leader.
 * - `PostgresLeadership`: a session advisory lock held on a dedicated
 *   connection; PostgreSQL drops it the moment the holder's connection
 *   closes (a killed process), so a follower trying every `retryMs` takes
 *   over within that.
 * - `RedisLeadership`: a lease (`SET NX PX`) renewed every `leaseMs / 3`;
 *   the leader steps down by itself once its lease may have expired, and a
 *   follower takes over within `leaseMs + retryMs` of the leader's death.
 *
 * Leadership is about the liveness of processes, so its timers run on the
 * real clock (a test's manual clock would never renew a lease); the jobs it
 * gates stay on the injected clock. `stop()` hands over: the lock or lease
 * is released and the followers are told on the bus to try at once.
 */
export interface Leadership {
  /** True while this node holds the leadership. */
  readonly isLeader: boolean;
  /** Told every change (true: this node just became the leader; false: it lost or gave up leadership). Returns the unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void;
  /** First attempt (awaited), then keeps trying / renewing in the background. */
  start(): Promise<void>;
  /** Graceful shutdown: releases the leadership for another node and stops trying. Idempotent. */
  stop(): Promise<void>;
}

/** The bus channel on which a leader that steps down tells the followers to try at once. */
export const LEADER_RELEASED_CHANNEL = 'cluster:leader-released';

abstract class BaseLeadership implements Leadership {
  private leader = false;
  private listeners = new Set<(leader: boolean) => void>();
  protected stopped = false;
  private timer: TimerHandle | null = null;
  private attempt: Promise<void> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(protected readonly options: { intervalMs: number; bus?: EventBus; timers?: Clock }) {}

  get isLeader(): boolean {
    return this.leader;
  }

  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    for (const listener of [...this.listeners]) {
      try {
        listener(leader);
      } catch {
        // A listener's fault is its own.
      }
    }
  }

  async start(): Promise<void> {
    if (this.timer || this.stopped) return;
    this.timer = (this.options.timers ?? systemClock).setInterval(() => void this.step(), this.options.intervalMs);
    if (this.options.bus) {
      this.unsubscribe = await this.options.bus.subscribe(LEADER_RELEASED_CHANNEL, () => void this.step()).catch(() => null);
    }
    await this.step();
  }

  /** One acquisition or renewal; never two at once. */
  protected step(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.attempt ??= this.tryOnce().catch(() => this.setLeader(false)).finally(() => { this.attempt = null; });
    return this.attempt;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.attempt;
    const wasLeader = this.leader;
    this.setLeader(false);
    await this.release(wasLeader).catch(() => {});
    await this.unsubscribe?.().catch(() => {});
    if (wasLeader) await this.options.bus?.publish(LEADER_RELEASED_CHANNEL, '1').catch(() => {});
  }

  /** Acquire when follower, check or renew when leader; calls setLeader. */
  protected abstract tryOnce(): Promise<void>;
  protected abstract release(wasLeader: boolean): Promise<void>;
}

/** One node: always the leader. */
export class LocalLeadership extends BaseLeadership {
  constructor() {
    super({ intervalMs: 60_000 });
  }

  async start(): Promise<void> {
    if (!this.stopped) this.setLeader(true);
  }

  protected async tryOnce(): Promise<void> {
    this.setLeader(true);
  }

  protected async release(): Promise<void> {}
}

/** Any number: the leadership's PostgreSQL advisory lock (advisory locks are per database). */
export const LEADER_LOCK_KEY = 7_070_707;

/** A session advisory lock on a dedicated connection (not one of the pool's). */
export class PostgresLeadership extends BaseLeadership {
  private client: pg.Client | null = null;

  constructor(private readonly databaseUrl: string, options: { retryMs: number; bus?: EventBus; timers?: Clock }) {
    super({ intervalMs: options.retryMs, bus: options.bus, timers: options.timers });
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new (pgDriver().Client)({
      connectionString: this.databaseUrl,
      keepAlive: true,
      connectionTimeoutMillis: this.options.intervalMs * 3,
      // A leader whose connection hangs (network partition) notices within this and steps down.
      query_timeout: this.options.intervalMs * 2,
      application_name: 'pong-leadership',
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.setLeader(false);
      client.end().catch(() => {});
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    this.client = client;
    return client;
  }

  protected async tryOnce(): Promise<void> {
    let client: pg.Client;
    try {
      client = await this.connection();
    } catch {
      this.setLeader(false);
      return;
    }
    try {
      if (this.isLeader) {
        // The lock lives as long as the connection: check that it still does.
        await client.query('select 1');
      } else {
        const result = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LEADER_LOCK_KEY]);
        if (this.stopped) return;
        this.setLeader(result.rows[0]?.ok === true);
      }
    } catch {
      // The connection is broken or hangs: whatever the server thinks, this node is no longer sure to hold the lock.
      this.setLeader(false);
      const broken = this.client;
      this.client = null;
      broken?.end().catch(() => {});
    }
  }

  protected async release(wasLeader: boolean): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (wasLeader) await client.query('select pg_advisory_unlock($1)', [LEADER_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** A Redis lease: `SET key token NX PX leaseMs`, renewed (compare-and-expire) every leaseMs / 3. */
export class RedisLeadership extends BaseLeadership {
  private readonly token = randomBytes(12).toString('hex');
  /** Real time until which this node's lease is certainly valid. */
  private validUntil = 0;

  constructor(private readonly redis: Redis, private readonly key: string, private readonly leaseMs: number, options: { bus?: EventBus; timers?: Clock } = {}) {
    super({ intervalMs: Math.max(50, Math.floor(leaseMs / 3)), bus: options.bus, timers: options.timers });
  }

  protected async tryOnce(): Promise<void> {
    const sentAt = Date.now();
    let held: boolean;
    try {
      if (this.isLeader) {
        held = Number(await this.redis.eval(RENEW, 1, this.key, this.token, String(this.leaseMs))) === 1;
      } else {
        held = (await this.redis.set(this.key, this.token, 'PX', this.leaseMs, 'NX')) === 'OK';
      }
    } catch {
      // Redis unreachable: the lease runs out on its own; step down before it may have.
      if (Date.now() >= this.validUntil - this.options.intervalMs) this.setLeader(false);
      return;
    }
    if (this.stopped) return;
    if (held) this.validUntil = sentAt + this.leaseMs;
    this.setLeader(held);
  }

  protected async release(wasLeader: boolean): Promise<void> {
    if (wasLeader) await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}

/**
 * The adapter for a deployment: on PostgreSQL the advisory lock; on SQLite
 * shared by several nodes through Redis (tests) the Redis lease; one node
 * on SQLite alone is always the leader.
 */
export function createLeadership(options: {
  databaseUrl: string | null;
  redis: Redis | null;
  bus?: EventBus;
  /** Takeover bound: the lease length (Redis) and three times the retry period (PostgreSQL). */
  leaseMs: number;
}): Leadership {
  if (options.databaseUrl && /^postgres(ql)?:\/\//.test(options.databaseUrl)) {
    return new PostgresLeadership(options.databaseUrl, { retryMs: Math.max(50, Math.floor(options.leaseMs / 3)), bus: options.bus });
  }
  if (!options.redis) return new LocalLeadership();
  return new RedisLeadership(options.redis, 'cluster:leader', options.leaseMs, { bus: options.bus });
}

/**
 * A periodic job that runs on the leader only: every `ms` on `clock` (the
 * injected clock, like every rule timer) while this node leads, and once at
 * once when it becomes the leader (a takeover catches up what the dead
 * leader left). Cancel with the returned handle.
 */
export function leaderInterval(leadership: Leadership, clock: Clock, ms: number, job: () => void): TimerHandle {
  const timer = clock.setInterval(() => {
    if (leadership.isLeader) job();
  }, ms);
  const unsubscribe = leadership.onChange((leader) => {
    if (leader) job();
  });
  return {
    cancel() {
      timer.cancel();
      unsubscribe();
    },
  };
}
