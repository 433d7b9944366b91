import type { EventBus } from '../../platform/bus/index.js';
import type { NodeRegistry } from '../../platform/cluster/nodes.js';
import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { RoomRegistry } from '../../game/rooms/registry.js';
import type { RecordedScore } from '../../game/rooms/room.js';
import type { LiveMatchObserver } from '../matches/ports.js';

/** Where a live match is refereed: here, or on the node reachable at `url`. */
export type RoomOwner = { local: true } | { local: false; nodeId: string; url: string };

/**
 * Which node referees each live match (`live_rooms`). A room lives on the
 * node that created it; the first connection of a match claims it with an
 * insert that only one node can win; a match whose node died is taken over
 * by the next node a player connects to (the room is rebuilt there from the
 * recorded score).
 */
export class RoomDirectory {
  constructor(private readonly db: Db, private readonly clock: Clock, private readonly nodes: NodeRegistry) {}

  private get me(): string {
    return this.nodes.nodeId;
  }

  /** The owner of a match's room, claiming it for this node when nobody (alive) holds it. */
  async claim(matchId: number, code: string): Promise<RoomOwner> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.db.insertInto('live_rooms')
        .values({ match_id: matchId, code, node_id: this.me, created_at: isoAt(this.clock.now()) })
        .onConflict((oc) => oc.column('match_id').doNothing())
        .execute();
      const row = await this.db.selectFrom('live_rooms').select('node_id').where('match_id', '=', matchId).executeTakeFirst();
      if (!row) continue;
      if (row.node_id === this.me) return { local: true };
      const url = await this.nodes.urlOf(row.node_id);
      if (url) return { local: false, nodeId: row.node_id, url };
      // The owner is dead: take the match over, unless another node just did.
      // The spectators counted by the dead node are gone with it.
      const taken = await this.db.updateTable('live_rooms').set({ node_id: this.me, code, created_at: isoAt(this.clock.now()), spectators: 0 })
        .where('match_id', '=', matchId).where('node_id', '=', row.node_id).executeTakeFirst();
      if (Number(taken.numUpdatedRows) > 0) return { local: true };
    }
    throw new Error(`could not settle the owner of match ${matchId}`);
  }

  /** The live node refereeing the match with this code (spectators), or null. */
  async ownerOfCode(code: string): Promise<RoomOwner | null> {
    const row = await this.db.selectFrom('live_rooms').select('node_id').where('code', '=', code).executeTakeFirst();
    if (!row) return null;
    if (row.node_id === this.me) return { local: true };
    const url = await this.nodes.urlOf(row.node_id);
    return url ? { local: false, nodeId: row.node_id, url } : null;
  }

  /** The spectators of a room this node referees, for the other nodes' live list (docs/api.md, Activity). */
  async setSpectators(matchId: number, spectators: number): Promise<void> {
    await this.db.updateTable('live_rooms').set({ spectators }).where('match_id', '=', matchId).where('node_id', '=', this.me).execute();
  }

  async release(matchId: number): Promise<void> {
    await this.db.deleteFrom('live_rooms').where('match_id', '=', matchId).where('node_id', '=', this.me).execute();
  }

  /** Shutdown: every match this node referees is free to be taken over. */
  async releaseAll(): Promise<void> {
    await this.db.deleteFrom('live_rooms').where('node_id', '=', this.me).execute();
  }

  /** Dead nodes' rooms are gone with them. */
  async forgetNodes(nodeIds: string[]): Promise<void> {
    if (nodeIds.length === 0) return;
    await this.db.deleteFrom('live_rooms').where('node_id', 'in', nodeIds).execute();
  }
}

export const ROOM_NOTICES_CHANNEL = 'game:room-notices';

interface RoomNotice {
  kind: 'goal' | 'finish' | 'discard';
  match: { id: number } & RecordedScore;
}

/**
 * The matches service's LiveMatchObserver for many nodes: a goal or an end
 * recorded on this node (a room here, or an internal call) reaches the room
 * directly when it is here, and over the bus when it lives on another node.
 */
export class ClusterLiveObserver implements LiveMatchObserver {
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(private readonly rooms: RoomRegistry, private readonly bus: EventBus) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.subscribe(ROOM_NOTICES_CHANNEL, (message) => {
      this.deliver(JSON.parse(message) as RoomNotice);
    });
  }

  goalRecorded(match: { id: number } & RecordedScore): void {
    this.route('goal', match);
  }

  matchFinished(match: { id: number } & RecordedScore): void {
    this.route('finish', match);
  }

  matchDiscarded(matchId: number): void {
    this.route('discard', { id: matchId, score: { a: 0, b: 0 } });
  }

  private deliver(notice: RoomNotice): void {
    if (notice.kind === 'goal') this.rooms.goalRecorded(notice.match);
    else if (notice.kind === 'finish') this.rooms.matchFinished(notice.match);
    else this.rooms.matchDiscarded(notice.match.id);
  }

  private route(kind: RoomNotice['kind'], match: { id: number } & RecordedScore): void {
    if (this.rooms.findByMatch(match.id)) {
      this.deliver({ kind, match });
      return;
    }
    const notice: RoomNotice = {
      kind,
      match: { id: match.id, score: match.score, finishReason: match.finishReason ?? null, winner: match.winner ?? null, forfeitedBy: match.forfeitedBy ?? null },
    };
    this.bus.publish(ROOM_NOTICES_CHANNEL, JSON.stringify(notice)).catch(() => {});
  }

  async stop(): Promise<void> {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.();
  }
}
