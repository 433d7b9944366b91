import type { Db } from '../../platform/db/database.js';
import { idIn } from '../../platform/db/id-list.js';

export interface StoredReplay {
  matchId: number;
  format: number;
  recording: Uint8Array;
}

/** The replays feature's SQL: `match_replays`. */
export class ReplaysRepo {
  constructor(private readonly db: Db) {}

  /** The first recording of a match wins: a second room (a takeover racing a slow node) cannot replace it. */
  async save(matchId: number, format: number, recording: Uint8Array, createdAt: string): Promise<void> {
    // Both drivers bind a Buffer as a blob / bytea.
    const bytes = Buffer.from(recording.buffer, recording.byteOffset, recording.byteLength);
    await this.db.insertInto('match_replays')
      .values({ match_id: matchId, format, recording: bytes, created_at: createdAt })
      .onConflict((oc) => oc.column('match_id').doNothing())
      .execute();
  }

  async find(matchId: number): Promise<StoredReplay | null> {
    const row = await this.db.selectFrom('match_replays').select(['match_id', 'format', 'recording']).where('match_id', '=', matchId).executeTakeFirst();
    return row ? { matchId: row.match_id, format: row.format, recording: row.recording } : null;
  }

  async findMany(matchIds: readonly number[]): Promise<StoredReplay[]> {
    if (matchIds.length === 0) return [];
    const rows = await this.db.selectFrom('match_replays').select(['match_id', 'format', 'recording'])
      .where(idIn(this.db, 'match_id', matchIds)).execute();
    return rows.map((row) => ({ matchId: row.match_id, format: row.format, recording: row.recording }));
  }
}
