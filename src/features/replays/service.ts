import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';
import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { notFound } from '../../platform/http/errors.js';
import type { ReplaySink } from '../../game/rooms/recording.js';
import { MAX_RECORDING_BYTES, RECORDING_VERSION, type ReplayDocument, type ReplayPlayerCard } from '../../game/replay/index.js';
import type { MatchRecord } from '../matches/model.js';
import { ReplayMessages as M } from './messages.js';
import { presentReplay } from './present.js';
import type { ReplaysRepo, StoredReplay } from './repo.js';

const deflateAsync = promisify(deflateRaw);

/** `match_replays.format`: the recording's version (src/game/replay/codec.ts), stored raw-deflated. */
const STORED_FORMAT = RECORDING_VERSION;

function unpacked(stored: StoredReplay): StoredReplay {
  if (stored.format !== STORED_FORMAT) throw new Error(`match ${stored.matchId}: unknown replay format ${stored.format}`);
  return { ...stored, recording: inflateRawSync(stored.recording, { maxOutputLength: 2 * MAX_RECORDING_BYTES }) };
}

/** What the replays feature needs from the matches feature. */
export interface ReplayMatches {
  findMatch(id: number): Promise<MatchRecord | null>;
  finishedMatchesOf(userId: number): Promise<MatchRecord[]>;
}

/** The small user objects of these ids (deleted accounts are missing). */
export type ReplayUserCards = (ids: number[]) => Promise<ReadonlyMap<number, ReplayPlayerCard>>;

/**
 * Replays of finished matches: stored by the rooms when a match ends,
 * shown to whoever may see the match (docs/replays.md).
 */
export class ReplaysService implements ReplaySink {
  constructor(
    private readonly repo: ReplaysRepo,
    private readonly matches: ReplayMatches,
    private readonly cards: ReplayUserCards,
    private readonly clock: Clock,
  ) {}

  /** Compressed on the thread pool, off the rooms' event loop: long bot matches shrink to about half. */
  async save(matchId: number, recording: Uint8Array): Promise<void> {
    const compressed = await deflateAsync(recording);
    await this.repo.save(matchId, STORED_FORMAT, compressed, isoAt(this.clock.now()));
  }

  /**
   * A finished match's replay. Any signed-in caller sees it, as he sees the
   * match in anyone's history (`GET /api/game/matches/<user id>/`); a live
   * match shows nothing before its end.
   */
  async replayOf(matchId: number): Promise<ReplayDocument> {
    const match = await this.matches.findMatch(matchId);
    if (!match || !match.finished) throw notFound(M.matchNotFound);
    const stored = await this.repo.find(matchId);
    if (!stored) throw notFound(M.noReplay);
    return presentReplay(match, unpacked(stored), await this.cards(match.players.map((p) => p.userId)));
  }

  /** The export's `game_data.replays`: the replays of the user's finished matches, most recent first, players bare. */
  async exportOf(userId: number): Promise<ReplayDocument[]> {
    const matches = await this.matches.finishedMatchesOf(userId);
    const stored = new Map((await this.repo.findMany(matches.map((m) => m.id))).map((r) => [r.matchId, r]));
    return matches.flatMap((match) => {
      const replay = stored.get(match.id);
      return replay ? [presentReplay(match, unpacked(replay), null)] : [];
    });
  }
}
