import type { Clock, TimerHandle } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { leaderInterval, type Leadership } from '../../platform/cluster/leadership.js';
import { notFound } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { NewMatchInput } from '../matches/validation.js';
import type { Activities, ActivityIntent, ActivityParticipant } from './activity.js';
import { fixedRankedWindow, pairAll, type Pair, type RankedWindow } from './matchmaker.js';
import { DUEL_WHILE_PLAYING_COMPUTER, MATCH_CREATION_CONCURRENCY, MATCHMAKER_INTERVAL_MS, PlayMessages as M, type QueueMode } from './messages.js';
import type { QueueEntryRow, QueueRepo } from './repo.js';

export interface QueueDeps {
  repo: QueueRepo;
  clock: Clock;
  activities: Activities;
  /** The matches feature's creation: stores the match, sends `game-start` to both players. */
  createMatch(input: NewMatchInput): Promise<unknown>;
  /** Several nodes: only the leader pairs entries. Absent: this node always does. */
  leadership?: Leadership;
  /** A follower asks the leader for a pass (an entry was just made here). */
  askLeader?(): void;
  /** The ranked trophy window; fixed ±50 unless configured to widen. */
  rankedWindow?: RankedWindow;
  /** Before a duel is created: its players' games against the computer give way (computer/service.ts). */
  makeWayFor?(userIds: number[]): Promise<void>;
}

/** QueueEntry: `id` is the user id. */
export function queueEntryView(row: QueueEntryRow) {
  return { id: row.user_id, game_mode: row.game_mode as QueueMode, trophies: row.trophies, join_at: row.join_at };
}

/**
 * The duel and ranked queues. Entries live in
 * the database; a matchmaker pass runs right after each entry and every
 * 250 ms on the injected clock (the ranked window widens with the wait).
 * A pass pairs and deletes entries in one transaction — on PostgreSQL
 * under an advisory lock — so nobody is ever matched twice, even with
 * several nodes; the matches are created after it commits. With several
 * nodes only the leader (platform/cluster/leadership.ts) runs passes: a
 * follower forwards its kicks to it, and a new leader runs one at once.
 */
export class QueueService implements ActivityParticipant {
  readonly name = 'queue';
  readonly rank = 20;
  private timer: TimerHandle | null = null;
  private running = false;
  private again = false;
  private pending = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  /** Passes run by this node (metrics, tests). */
  passes = 0;

  constructor(private readonly deps: QueueDeps) {}

  start(): void {
    const { leadership, clock } = this.deps;
    this.timer ??= leadership
      ? leaderInterval(leadership, clock, MATCHMAKER_INTERVAL_MS, () => this.kick())
      : clock.setInterval(() => this.kick(), MATCHMAKER_INTERVAL_MS);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** Entering a queue: the exclusivity check, then the caller's one entry (replacing any previous one). */
  async enter(caller: UserRow, mode: QueueMode) {
    await this.deps.activities.enter(caller.id, 'queue');
    const now = this.deps.clock.now();
    const row = await this.deps.repo.replace({ user_id: caller.id, game_mode: mode, trophies: caller.trophies, join_at: isoAt(now), join_ms: Math.floor(now) });
    this.kick();
    return queueEntryView(row);
  }

  /** Leaving the queue, whatever the mode of the entry. */
  async leave(caller: UserRow): Promise<void> {
    if (!(await this.deps.repo.remove(caller.id))) throw notFound(M.notPlaying);
  }

  entryOf(userId: number) {
    return this.deps.repo.findByUser(userId).then((row) => (row ? queueEntryView(row) : null));
  }

  async release(userId: number, intent: ActivityIntent): Promise<void> {
    // Entering a queue replaces the entry in one transaction anyway.
    if (intent === 'queue') return;
    // A duel search goes on while its player passes the time against the computer; the duel wins when it comes.
    if (intent === 'computer') await this.deps.repo.remove(userId, undefined, { keep: DUEL_WHILE_PLAYING_COMPUTER });
    else await this.deps.repo.remove(userId);
  }

  async drop(userId: number): Promise<void> {
    await this.deps.repo.remove(userId);
  }

  /** True when this node runs the matchmaker passes. */
  get isLeader(): boolean {
    return this.deps.leadership?.isLeader ?? true;
  }

  /**
   * Asks for a matchmaker pass; passes never overlap on one node, a request
   * during one runs another after it. On a follower the request goes to the leader.
   */
  kick(): void {
    if (!this.isLeader) {
      this.deps.askLeader?.();
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  /** Resolves once no pass runs and every match it found has been created (tests, shutdown). */
  settled(): Promise<void> {
    if (!this.running && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.pass();
        } catch {
          // The database is unavailable: the next tick tries again.
        }
      } while (this.again);
    } finally {
      this.running = false;
      this.wakeIfIdle();
    }
  }

  private async pass(): Promise<void> {
    // Leadership lost between the kick and now: the new leader runs its own pass.
    if (!this.isLeader) return;
    this.passes += 1;
    const now = this.deps.clock.now();
    const pairs = await this.deps.repo.transaction(async (trx) => {
      if (!(await this.deps.repo.lockMatchmaker(trx))) return [];
      const found = pairAll(await this.deps.repo.waiting(trx), now, this.deps.rankedWindow ?? fixedRankedWindow);
      if (found.length > 0) await this.deps.repo.take(trx, found.flatMap((p) => [p.newer.id, p.older.id]));
      return found;
    });
    if (pairs.length === 0) return;
    const creation = this.createAll(pairs);
    this.pending.add(creation);
    void creation.finally(() => {
      this.pending.delete(creation);
      this.wakeIfIdle();
    });
  }

  private async createAll(pairs: Pair<QueueEntryRow>[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < pairs.length) {
        const pair = pairs[next++];
        // The entries are gone whatever the game side answered (e.g. one of them is already playing).
        await this.createMatch(pair).catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: Math.min(MATCH_CREATION_CONCURRENCY, pairs.length) }, worker));
  }

  private async createMatch({ newer, older }: Pair<QueueEntryRow>): Promise<unknown> {
    const ranked = newer.game_mode === 'ranked';
    const seat = (e: QueueEntryRow) => (ranked ? { id: e.user_id, trophies: e.trophies } : { id: e.user_id });
    if (!ranked) await this.deps.makeWayFor?.([newer.user_id, older.user_id]);
    return this.deps.createMatch({ game_mode: ranked ? 'ranked' : 'duel', teams: { a: [seat(newer)], b: [seat(older)] } });
  }

  private wakeIfIdle(): void {
    if (this.running || this.pending.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
