/** Where the count of a room's spectators is kept for every node (RoomDirectory: `live_rooms`). */
export interface SpectatorStore {
  setSpectators(matchId: number, spectators: number): Promise<void>;
}

/**
 * The spectators of the rooms this node referees, as distinct users (one
 * watching from two tabs counts once). Only this node sees them, so each
 * change is written where every node can read it (the live list, docs/api.md).
 * Writes for one room never overlap: a burst of arrivals costs one write of
 * the latest count, then `written` is called.
 */
export class SpectatorCounts {
  private readonly rooms = new Map<number, Map<number, number>>();
  private readonly writing = new Set<number>();
  private readonly again = new Set<number>();

  constructor(private readonly store: SpectatorStore, private readonly written: () => void = () => {}) {}

  count(matchId: number): number {
    return this.rooms.get(matchId)?.size ?? 0;
  }

  joined(matchId: number, userId: number): void {
    let users = this.rooms.get(matchId);
    if (!users) this.rooms.set(matchId, (users = new Map()));
    const connections = (users.get(userId) ?? 0) + 1;
    users.set(userId, connections);
    if (connections === 1) this.write(matchId);
  }

  left(matchId: number, userId: number): void {
    const users = this.rooms.get(matchId);
    const connections = users?.get(userId);
    if (!users || connections === undefined) return;
    if (connections > 1) {
      users.set(userId, connections - 1);
      return;
    }
    users.delete(userId);
    if (users.size === 0) this.rooms.delete(matchId);
    this.write(matchId);
  }

  private write(matchId: number): void {
    if (this.writing.has(matchId)) {
      this.again.add(matchId);
      return;
    }
    this.writing.add(matchId);
    this.store.setSpectators(matchId, this.count(matchId)).then(
      () => this.written(),
      // The room's row may be gone (the match ended) or the database away: the next change writes again.
      () => {},
    ).finally(() => {
      this.writing.delete(matchId);
      if (this.again.delete(matchId)) this.write(matchId);
    });
  }
}
