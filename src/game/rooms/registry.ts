import type { Clock } from '../../platform/clock.js';
import type { RandomSource } from '../engine/index.js';
import type { ReplaySink } from './recording.js';
import { Room, type Referee, type RecordedScore, type RoomMatch, type RoomOptions } from './room.js';
import { TickScheduler } from './tick-scheduler.js';

/**
 * The live rooms of this node, keyed by match code (spectators) and by match
 * id (the service's notifications). Implements the matches feature's
 * LiveMatchObserver port structurally.
 */
export class RoomRegistry {
  private readonly byCode = new Map<string, Room>();
  private readonly byMatch = new Map<number, Room>();

  private random: RandomSource;
  /** One timer drives the ticks of every room of this registry (one registry per process). */
  private readonly ticks: TickScheduler;

  constructor(private readonly deps: {
    clock: Clock;
    referee: Referee;
    random?: RandomSource;
    /** Where finished matches' replays go; none: rooms record nothing (REPLAYS=off). */
    replays?: ReplaySink;
    /** How late each tick ran, in ms (metrics). */
    observeTick?: (latenessMs: number) => void;
    /** A room was disposed (many nodes: the match is released for another node). */
    onRoomClosed?: (room: Room) => void;
  }) {
    this.random = deps.random ?? Math.random;
    this.ticks = new TickScheduler(deps.clock);
  }

  /** Where the seeds of the rooms created from now on come from (deterministic tests). */
  useRandom(random: RandomSource): void {
    this.random = random;
  }

  /**
   * The room of a match, created on its first connection (a
   * spectator's too, with `awaitFirstPlayer`). Synchronous, so two first
   * connections share one room.
   */
  roomFor(match: RoomMatch, options: RoomOptions = {}): Room {
    const existing = this.byMatch.get(match.id);
    if (existing) return existing;
    const room = new Room(match, {
      clock: this.deps.clock,
      referee: this.deps.referee,
      random: this.random,
      replays: this.deps.replays,
      observeTick: this.deps.observeTick,
      ticks: this.ticks,
      onDisposed: (disposed) => this.forget(disposed),
    }, options);
    this.byMatch.set(match.id, room);
    this.byCode.set(match.code, room);
    return room;
  }

  findByCode(code: string): Room | undefined {
    const room = this.byCode.get(code);
    return room && !room.isOver ? room : undefined;
  }

  findByMatch(matchId: number): Room | undefined {
    return this.byMatch.get(matchId);
  }

  get size(): number {
    return this.byMatch.size;
  }

  goalRecorded(match: { id: number } & RecordedScore): void {
    this.byMatch.get(match.id)?.goalRecorded(match);
  }

  matchFinished(match: { id: number } & RecordedScore): void {
    this.byMatch.get(match.id)?.matchFinished(match);
  }

  matchDiscarded(matchId: number): void {
    this.byMatch.get(matchId)?.matchDiscarded();
  }

  /** Shutdown: every room closes its sockets (with a restart code when the node drains, so players reconnect elsewhere). */
  disposeAll(closeCode?: number, closeReason?: string): void {
    for (const room of [...this.byMatch.values()]) room.dispose(closeCode, closeReason);
  }

  private forget(room: Room): void {
    if (this.byMatch.get(room.matchId) === room) this.byMatch.delete(room.matchId);
    if (this.byCode.get(room.code) === room) this.byCode.delete(room.code);
    this.deps.onRoomClosed?.(room);
  }
}
