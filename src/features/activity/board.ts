import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { ThrottledCache } from '../../platform/throttled-cache.js';
import { isComputerLevel } from '../computer/messages.js';
import { smallPicture } from '../users/pictures.js';
import { ACTIVITY_INTERVAL_MS } from './messages.js';
import type { ActivityRepo, AudienceRow, BlockRow, LivePlayerRow } from './repo.js';
import type { ActivityCounts, ActivityUpdate, LiveMatch } from './schemas.js';
import type { LiveAudience, LivePrivacy } from './visibility.js';

/** One live match: who may see it, and what the list shows of it (`json`: rendered once per refresh). */
export interface LiveEntry extends LiveAudience {
  view: LiveMatch;
  json: string;
}

/** What a node knows of the platform's activity, as of its last refresh. */
export interface BoardSnapshot {
  counts: ActivityCounts;
  /** Changes whenever a match appears or ends, or a score or spectator count moves. */
  liveVersion: number;
  /** Newest first. */
  entries: LiveEntry[];
  /** For each user with a block (either way) with live players: those players. */
  blockedPlayers: Map<number, Set<number>>;
  /** The JSON of every entry, when nothing hides any of them from a viewer. */
  everyJson: string[];
}

export function updateOf(snapshot: BoardSnapshot): ActivityUpdate {
  return { ...snapshot.counts, live_version: snapshot.liveVersion };
}

function privacyOf(row: LivePlayerRow): LivePrivacy {
  if (row.game_mode === 'custom_game') return 'lobby';
  if (row.game_mode === 'tournament' && row.tournament_private === 1) return 'tournament';
  return 'public';
}

const NOBODY: ReadonlySet<number> = new Set();

/** The live matches from their players' rows (grouped in the order they come), with the audience of the private ones. */
function entriesOf(rows: LivePlayerRow[], audience: AudienceRow[]): LiveEntry[] {
  const audiences = new Map<number, Set<number>>();
  for (const { match_id: match, user_id: user } of audience) {
    let set = audiences.get(match);
    if (!set) audiences.set(match, (set = new Set()));
    set.add(user);
  }
  const entries: LiveEntry[] = [];
  let current = null as LiveEntry | null;
  for (const row of rows) {
    if (current?.id !== row.match_id) {
      current = {
        id: row.match_id,
        privacy: privacyOf(row),
        players: [],
        audience: audiences.get(row.match_id) ?? NOBODY,
        json: '',
        view: {
          code: row.code ?? '',
          match_type: row.match_type as LiveMatch['match_type'],
          game_mode: row.game_mode as LiveMatch['game_mode'],
          teams: { a: [], b: [] },
          score: { a: row.score_a, b: row.score_b },
          started_at: row.created_at,
          spectators: row.spectators ?? 0,
        },
      };
      entries.push(current);
    }
    (current.players as number[]).push(row.user_id);
    // An account deleted from under a live match is left out of the teams, not of the match.
    if (row.username !== null && row.profile_picture_id !== null && (row.team === 'a' || row.team === 'b')) {
      current.view.teams[row.team].push({
        id: row.user_id, username: row.username, profile_picture: smallPicture(row.profile_picture_id),
        ...(isComputerLevel(row.bot_level) ? { computer: row.bot_level } : {}),
      });
    }
  }
  for (const entry of entries) entry.json = JSON.stringify(entry.view);
  return entries;
}

/** Who is hidden from whom: a block hides each side from the other (the blocking feature's rule). */
function blockedPlayersOf(blocks: BlockRow[], players: ReadonlySet<number>): Map<number, Set<number>> {
  const hidden = new Map<number, Set<number>>();
  const hide = (viewer: number, player: number) => {
    let set = hidden.get(viewer);
    if (!set) hidden.set(viewer, (set = new Set()));
    set.add(player);
  };
  for (const { blocker_id: blocker, blocked_id: blocked } of blocks) {
    if (players.has(blocked)) hide(blocker, blocked);
    if (players.has(blocker)) hide(blocked, blocker);
  }
  return hidden;
}

/** The same on every node reading the same rows: 48 bits of a digest of what the list shows that can move. */
function versionOf(entries: LiveEntry[]): number {
  const digest = createHash('sha1');
  for (const e of entries) digest.update(`${e.id}:${e.view.score.a}:${e.view.score.b}:${e.view.spectators};`);
  return digest.digest().readUIntBE(0, 6);
}

/**
 * This node's picture of the platform's activity: the counts and every live
 * match. It is read from the database again after a change (changes.ts),
 * at most once per ACTIVITY_INTERVAL_MS on the clock, and between two
 * refreshes every request is answered from memory.
 */
export class LiveBoard {
  private readonly cache: ThrottledCache<BoardSnapshot>;
  private listeners: Array<() => void> = [];

  constructor(private readonly repo: ActivityRepo, clock: Clock) {
    this.cache = new ThrottledCache(clock, ACTIVITY_INTERVAL_MS, () => this.build());
  }

  /** Told after each invalidation (the feed schedules its next look). */
  onInvalidated(listener: () => void): void {
    this.listeners.push(listener);
  }

  invalidate(): void {
    this.cache.invalidate();
    for (const listener of this.listeners) listener();
  }

  get stale(): boolean {
    return this.cache.stale;
  }

  /** The earliest clock time of the next refresh. */
  get nextAt(): number {
    return this.cache.nextAt;
  }

  current(): Promise<BoardSnapshot> {
    return this.cache.get();
  }

  private async build(): Promise<BoardSnapshot> {
    const [rows, counts, blocks, audience] = await Promise.all([this.repo.livePlayers(), this.repo.counts(), this.repo.liveBlocks(), this.repo.liveAudience()]);
    const entries = entriesOf(rows, audience);
    const players = new Set<number>();
    const people = new Set<number>();
    for (const row of rows) {
      players.add(row.user_id);
      if (row.bot !== 1) people.add(row.user_id);
    }
    return {
      counts: { online: counts.online, playing: people.size, live_matches: entries.length, open_tournaments: counts.open_tournaments },
      liveVersion: versionOf(entries),
      entries,
      blockedPlayers: blockedPlayersOf(blocks, players),
      everyJson: entries.some((e) => e.privacy !== 'public') ? [] : entries.map((e) => e.json),
    };
  }
}
