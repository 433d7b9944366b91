import { notFound } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { LiveBoard } from './board.js';
import { Ladder } from './ladder.js';
import { ActivityMessages as M } from './messages.js';
import type { ActivityCounts } from './schemas.js';
import type { ActivityRepo } from './repo.js';
import { visibleByCode, visibleTo, type Viewer } from './visibility.js';

/** A list the route paginates: its length, the page the server chose (if it did), and how to read a page. */
export interface PageSource<T> {
  count: number;
  offset?: number;
  fetch(limit: number, offset: number): Promise<T[]>;
}

const NOBODY = new Set<number>();

/**
 * The rules behind `GET /api/activity/`, `GET /api/game/live/` and
 * `GET /api/users/leaderboard/` (docs/api.md, Activity). Lists answer the
 * JSON of their items, rendered once per refresh: a page is a few string
 * joins whatever the number of callers.
 */
export class ActivityService {
  constructor(private readonly deps: { board: LiveBoard; ladder: Ladder; repo: ActivityRepo }) {}

  async counts(): Promise<ActivityCounts> {
    return (await this.deps.board.current()).counts;
  }

  /**
   * The live matches the caller may see, newest first (visibility.ts), as JSON: no query, the board knows
   * who sees what. With `code`, only the match of that code, private or not, unless a block hides it.
   */
  async liveFor(caller: UserRow, code?: string): Promise<string[]> {
    const snapshot = await this.deps.board.current();
    const blocked = snapshot.blockedPlayers.get(caller.id);
    if (code === undefined && !blocked && snapshot.everyJson.length === snapshot.entries.length) return snapshot.everyJson;
    const viewer: Viewer = { id: caller.id, blocked: blocked ?? NOBODY };
    const visible: string[] = [];
    for (const entry of snapshot.entries) {
      if (code === undefined ? visibleTo(entry, viewer) : entry.view.code === code && visibleByCode(entry, viewer)) visible.push(entry.json);
    }
    return visible;
  }

  /**
   * Whether `code` is a guess that found nothing: no match of that code is being played. A match the live
   * board does not show yet (refreshed once a second) is no failed guess: its spectators look it up at once.
   */
  async failedGuess(code: string, found: readonly string[]): Promise<boolean> {
    return found.length === 0 && !(await this.deps.repo.isLiveCode(code));
  }

  /**
   * The ladder, as JSON entries. With `around`, the page of `limit` entries
   * that holds the caller: `floor(limit / 2)` entries above him, unless he is
   * too close to either end of the ladder for that (the page is then the
   * first or the last one). Guests (lobby bots are guest accounts) are not
   * on the ladder: 404. One registered since the ladder was last read gets
   * the page he is about to appear in.
   */
  async ladder(around: { caller: UserRow; limit: number } | null): Promise<PageSource<string>> {
    const table = await this.deps.ladder.current();
    let offset: number | undefined;
    if (around) {
      const { caller, limit } = around;
      if (caller.is_guest !== 0) throw notFound(M.notOnLadder);
      const position = Ladder.positionOf(table, caller.id, caller.trophies);
      offset = Math.max(0, Math.min(position - Math.floor(limit / 2), table.size - limit));
    }
    return {
      count: table.size,
      offset,
      fetch: async (limit, start) => {
        const entries: string[] = [];
        for (let i = start; i < Math.min(table.size, start + limit); i++) entries.push(Ladder.entryJson(table, i));
        return entries;
      },
    };
  }
}
