import type { Clock } from '../../platform/clock.js';
import { smallPicture } from '../users/pictures.js';
import { LADDER_FULL_READ_MS, LADDER_INTERVAL_MS } from './messages.js';
import type { ActivityRepo, LadderRow } from './repo.js';

/**
 * The ladder in order (trophies descending, then id) as parallel arrays,
 * ~50 bytes per user with the names. A table is never changed once made;
 * each entry's JSON after its rank is made the first time a page shows it,
 * and kept by the next table while the user is unchanged (the ranks of
 * everybody between a changed user's old and new places move).
 */
export interface LadderTable {
  size: number;
  ids: Int32Array;
  trophies: Int32Array;
  ranks: Int32Array;
  usernames: string[];
  pictures: Int32Array;
  /** `,"id":…,"username":…,"profile_picture":…,"trophies":…}`: the entry's JSON without `{"rank":N`. */
  renderedAfterRank: Array<string | undefined>;
}

/** Beyond this many changed users, the ladder is read again as a whole. */
const MAX_CHANGED = 5000;

type Entry = Omit<LadderRow, 'rank'>;

const before = (a: Entry, b: Entry) => a.trophies > b.trophies || (a.trophies === b.trophies && a.id < b.id);

/** An empty table with room for `capacity` entries, filled by `push`. */
function tableWith(capacity: number) {
  const table: LadderTable = {
    size: 0,
    ids: new Int32Array(capacity),
    trophies: new Int32Array(capacity),
    ranks: new Int32Array(capacity),
    usernames: [],
    pictures: new Int32Array(capacity),
    renderedAfterRank: [],
  };
  // Standard competition rank: the entry's place, or its predecessor's rank when they have as many trophies.
  const rankAt = (at: number, trophies: number) => (at > 0 && table.trophies[at - 1] === trophies ? table.ranks[at - 1] : at + 1);
  const push = (entry: Entry, rank?: number) => {
    const at = table.size;
    table.ids[at] = entry.id;
    table.trophies[at] = entry.trophies;
    table.ranks[at] = rank ?? rankAt(at, entry.trophies);
    table.usernames[at] = entry.username;
    table.pictures[at] = entry.profile_picture_id;
    table.size += 1;
  };
  /** Entry `i` of an earlier table, unchanged but for its rank. */
  const pushFrom = (earlier: LadderTable, i: number) => {
    const at = table.size;
    table.ids[at] = earlier.ids[i];
    table.trophies[at] = earlier.trophies[i];
    table.ranks[at] = rankAt(at, earlier.trophies[i]);
    table.usernames[at] = earlier.usernames[i];
    table.pictures[at] = earlier.pictures[i];
    table.renderedAfterRank[at] = earlier.renderedAfterRank[i];
    table.size += 1;
  };
  return { table, push, pushFrom };
}

/** The table of a whole read, ranked by the database. */
function tableOf(rows: LadderRow[]): LadderTable {
  const { table, push } = tableWith(rows.length);
  for (const row of rows) push(row, Number(row.rank));
  return table;
}

/** `table` with the `changed` users taken out and `rows` (those of them still on the ladder) put in their places. */
function merged(table: LadderTable, changed: ReadonlySet<number>, rows: Entry[]): LadderTable {
  const incoming = [...rows].sort((a, b) => (before(a, b) ? -1 : 1));
  const { table: next, push, pushFrom } = tableWith(table.size + incoming.length);
  let j = 0;
  for (let i = 0; i < table.size; i++) {
    if (changed.has(table.ids[i])) continue;
    while (j < incoming.length && compare(table, i, incoming[j].trophies, incoming[j].id) < 0) push(incoming[j++]);
    pushFrom(table, i);
  }
  while (j < incoming.length) push(incoming[j++]);
  return next;
}

/** Negative when `(trophies, id)` comes before the entry at `at` in the ladder's order, positive after it. */
function compare(table: LadderTable, at: number, trophies: number, id: number): number {
  return table.trophies[at] !== trophies ? table.trophies[at] - trophies : id - table.ids[at];
}

/**
 * The ladder of registered users, held in memory by each node so that any
 * page, however deep, and the caller's own position cost a lookup and no
 * query. After a change the node reads, on the next request and at most
 * once per LADDER_INTERVAL_MS on the clock, only the users named by the
 * change notices (changes.ts) and puts them in their new places; it reads
 * the whole ladder (one statement, ranks from a window function) at first,
 * when too many users changed at once or a notice named nobody, and when
 * its last whole read is older than LADDER_FULL_READ_MS (a notice lost on
 * the way would be healed by it).
 */
export class Ladder {
  private table: LadderTable | null = null;
  private pending = new Set<number>();
  private everything = true;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private fullReadAt = Number.NEGATIVE_INFINITY;
  private running: Promise<LadderTable> | null = null;

  constructor(private readonly repo: ActivityRepo, private readonly clock: Clock) {}

  /** Users whose place may have changed (`all`: anybody's). */
  changed(users: ReadonlySet<number> | 'all'): void {
    if (users === 'all') this.everything = true;
    else for (const id of users) this.pending.add(id);
  }

  current(): Promise<LadderTable> {
    if (this.running) return this.running;
    const now = this.clock.now();
    const due = this.everything || this.pending.size > 0 || now - this.fullReadAt >= LADDER_FULL_READ_MS;
    if (this.table && (!due || now < this.lastReadAt + LADDER_INTERVAL_MS)) return Promise.resolve(this.table);
    const run = this.read();
    this.running = run;
    const done = () => { this.running = null; };
    void run.then(done, done);
    return run;
  }

  private async read(): Promise<LadderTable> {
    const now = this.clock.now();
    this.lastReadAt = now;
    const whole = !this.table || this.everything || this.pending.size > MAX_CHANGED || now - this.fullReadAt >= LADDER_FULL_READ_MS;
    const ids = [...this.pending];
    this.pending.clear();
    this.everything = false;
    try {
      if (whole) {
        this.table = tableOf(await this.repo.ladder());
        this.fullReadAt = now;
      } else {
        this.table = merged(this.table!, new Set(ids), await this.repo.ladderRowsOf(ids));
      }
    } catch (error) {
      // Read again next time.
      for (const id of ids) this.pending.add(id);
      if (whole) this.everything = true;
      throw error;
    }
    return this.table;
  }

  /**
   * The index of a user in the table: found by his trophies when they match
   * the table's (a binary search), else by a scan (his total changed since
   * the table was read); when he is not in it yet (registered since), the
   * index he will have.
   */
  static positionOf(table: LadderTable, userId: number, trophies: number): number {
    let low = 0;
    let high = table.size - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const order = compare(table, middle, trophies, userId);
      if (order === 0) return middle;
      if (order > 0) low = middle + 1;
      else high = middle - 1;
    }
    const found = table.ids.subarray(0, table.size).indexOf(userId);
    return found >= 0 ? found : low;
  }

  /** The JSON of the entry at `index`, as `GET /api/users/leaderboard/` shows it. */
  static entryJson(table: LadderTable, index: number): string {
    let afterRank = table.renderedAfterRank[index];
    if (afterRank === undefined) {
      afterRank = `,${JSON.stringify({
        id: table.ids[index], username: table.usernames[index],
        profile_picture: smallPicture(table.pictures[index]), trophies: table.trophies[index],
      }).slice(1)}`;
      table.renderedAfterRank[index] = afterRank;
    }
    return `{"rank":${table.ranks[index]}${afterRank}`;
  }
}
