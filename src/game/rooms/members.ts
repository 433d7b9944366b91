import type { TimerHandle } from '../../platform/clock.js';
import type { Team, Viewer } from '../engine/index.js';
import { columnZone } from '../reckoning.js';
import { BallBase, RecordWriter, writeGameState, writeServerRecord, type BallFields, type WireEncoding } from '../compact.js';
import { encodeServerFrame, type ServerEvent, type ServerFrame, type ServerMessages } from '../protocol.js';

/**
 * One message as it leaves a room: a JSON text frame or a compact binary
 * message. The same object goes to every recipient of the same bytes; the
 * transport keeps its framed form in `wire` (built once, written to each).
 */
export class OutFrame {
  /** The transport's framed bytes (a WebSocket frame), cached by the first socket that writes this message. */
  wire: Uint8Array | null = null;
  constructor(
    readonly text: string | null,
    /** A binary message is `bytes[offset, offset + length)`. */
    readonly bytes: Uint8Array | null,
    readonly offset = 0,
    readonly length = bytes ? bytes.length : 0,
    /** Free bytes before `offset`, the transport's to use (a frame header, so that the frame needs no copy). */
    readonly headroom = 0,
  ) {}

  /** The binary message (a view), or null for a text one. */
  get binary(): Uint8Array | null {
    return this.bytes ? this.bytes.subarray(this.offset, this.offset + this.length) : null;
  }
}

/**
 * Where the `game_state` messages of every room are written (issue 20: no
 * buffer per message): a slab cut in consecutive pieces, each with
 * HEADROOM free bytes before it; a full slab is left to the messages that
 * still use it and a new one is started.
 */
const SLAB_BYTES = 16 * 1024;
/** A WebSocket frame header of a message shorter than 126 bytes. */
export const HEADROOM = 2;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

function slabFrame(w: RecordWriter): OutFrame {
  const need = HEADROOM + w.length;
  if (slabUsed + need > slab.length) {
    slab = new Uint8Array(Math.max(SLAB_BYTES, need));
    slabUsed = 0;
  }
  const offset = slabUsed + HEADROOM;
  w.copyInto(slab, offset);
  slabUsed += need;
  return new OutFrame(null, slab, offset, w.length, HEADROOM);
}

/** The transport side of one connection (a WebSocket in production, anything in unit tests). */
export interface RoomSocket {
  /**
   * Writes `frames[0..count)`, in order, in one write. The array is the
   * connection's and is reused once this returns: keep the frames, not the array.
   */
  send(frames: readonly OutFrame[], count: number): void;
  close(code: number, reason: string): void;
}

/** One player's place in the match: team, rank in the team, and the connection bound to it. */
export interface Seat {
  readonly userId: number;
  readonly team: Team;
  readonly index: number;
  connection: Connection | null;
  /** Armed while the player is away mid-game (10 s, then `player-disconnect`). */
  graceTimer: TimerHandle | null;
  /** When that grace runs out (clock ms), while it is armed. */
  awayUntil: number | null;
}

/** Writes and frames one record for one recipient (a private frame: no delta). */
const privateWriter = new RecordWriter(256);

export function jsonFrame<K extends ServerEvent>(event: K, data: ServerMessages[K]): OutFrame {
  return new OutFrame(encodeServerFrame(event, data), null);
}

export function compactFrame<K extends ServerEvent>(event: K, data: ServerMessages[K]): OutFrame {
  writeServerRecord(privateWriter.reset(), { event, data } as ServerFrame, null);
  return new OutFrame(null, privateWriter.bytes());
}

/**
 * What a room has to write, per connection, until the end of the current
 * action: everything a socket gets from one tick (or one command, one join)
 * leaves in one write. The room holds the outbox for the length of each
 * action (`hold` / `release`) and the last release writes; a message queued
 * outside any action leaves on the next microtask.
 *
 * While `deferring` is set (a paddle command handled just before a tick),
 * what compact connections get waits for the end of the next action (that
 * tick) instead, so that it leaves in the tick's write (docs/game-protocol.md,
 * The compact encoding); JSON connections are written at once as ever.
 */
export class Outbox {
  private dirty: Connection[] = [];
  private count = 0;
  /** Compact connections whose messages wait for the next action's end. */
  private later: Connection[] = [];
  private laterCount = 0;
  deferring = false;
  private flushing = false;
  private scheduled = false;
  private depth = 0;
  private readonly run = (): void => {
    this.scheduled = false;
    if (this.depth === 0) this.flush();
  };

  hold(): void {
    this.depth++;
  }

  release(): void {
    if (--this.depth === 0) this.flush();
  }

  mark(connection: Connection): void {
    if (this.deferring && connection.encoding === 'compact') {
      this.later[this.laterCount++] = connection;
      return;
    }
    this.dirty[this.count++] = connection;
    if (!this.scheduled && this.depth === 0) {
      this.scheduled = true;
      queueMicrotask(this.run);
    }
  }

  /**
   * Writes every connection marked, and those that waited for it unless still deferring. A write can call
   * back into the room (an in-process bot answers a frame at once): what that marks is written by the
   * flush under way, which reads the lists to their current ends.
   */
  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      do {
        for (let i = 0; i < this.count; i++) flushAt(this.dirty, i);
        this.count = 0;
        if (this.deferring) continue;
        for (let i = 0; i < this.laterCount; i++) flushAt(this.later, i);
        this.laterCount = 0;
      } while (this.count > 0);
    } finally {
      this.flushing = false;
    }
  }
}

function flushAt(list: Connection[], i: number): void {
  const connection = list[i];
  list[i] = null as unknown as Connection;
  connection.flush();
}

export class Connection {
  /** The seat this connection steers, or null for spectators and replaced connections. */
  seat: Seat | null = null;
  private pending: OutFrame[] = [];
  private count = 0;
  private closed = false;

  constructor(
    readonly socket: RoomSocket,
    readonly spectator: boolean,
    readonly encoding: WireEncoding,
    private readonly outbox: Outbox,
  ) {}

  get viewer(): Viewer {
    return this.seat ? this.seat.team : 'spectator';
  }

  /** One message for this connection alone, in its encoding. */
  send<K extends ServerEvent>(event: K, data: ServerMessages[K]): void {
    this.enqueue(this.encoding === 'compact' ? compactFrame(event, data) : jsonFrame(event, data));
  }

  /** An already encoded message (one encoding shared by every recipient of the same bytes). */
  enqueue(frame: OutFrame): void {
    if (this.closed) return;
    if (this.count === 0) this.outbox.mark(this);
    this.pending[this.count++] = frame;
  }

  /** Writes what is queued, in one write: JSON frames back to back, compact records in one binary message. */
  flush(): void {
    const count = this.count;
    if (count === 0) return;
    this.count = 0;
    const pending = this.pending;
    try {
      if (count > 1 && this.encoding === 'compact') {
        pending[0] = joinBinary(pending, count);
        for (let i = 1; i < count; i++) pending[i] = null as unknown as OutFrame;
        this.socket.send(pending, 1);
      } else {
        this.socket.send(pending, count);
      }
    } catch {
      // A socket that died mid-send is cleaned up by its close handler.
    }
    for (let i = 0; i < count; i++) pending[i] = null as unknown as OutFrame;
  }

  /** What is queued leaves first, then the close. */
  close(code: number, reason: string): void {
    this.flush();
    this.closed = true;
    this.socket.close(code, reason);
  }
}

function joinBinary(frames: readonly OutFrame[], count: number): OutFrame {
  let length = 0;
  for (let i = 0; i < count; i++) length += frames[i].length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    out.set(frames[i].binary!, offset);
    offset += frames[i].length;
  }
  return new OutFrame(null, out);
}

const VIEWERS: readonly Viewer[] = ['a', 'b', 'spectator'];
const viewerIndex = (viewer: Viewer): number => (viewer === 'a' ? 0 : viewer === 'b' ? 1 : 2);

/** The ball as one perspective sees it, for `game_state` (the numbers of `gameStatePayload`). */
export type BallView = BallFields;

/** Who is in a room: the seats in match order (team a then b) and the spectators. */
export class RoomMembers {
  readonly seats: Seat[];
  readonly outbox = new Outbox();
  private readonly spectators: Connection[] = [];
  /** Per perspective (a, b, spectators): the last `game_state` its compact connections were sent, the base of the next. */
  private readonly bases = VIEWERS.map(() => new BallBase());
  private readonly ballWriter = new RecordWriter(32);
  /** Per perspective: when (room clock, ms) its compact connections were last sent the ball, and its column zone then. */
  private readonly sentAt = new Float64Array(3);
  private readonly sentZone = new Int32Array(3);
  /** The `game_state` of the current publication, per perspective and encoding (cleared after each); OMITTED: none. */
  private readonly ballFrames: Array<OutFrame | null> = [null, null, null, null, null, null];

  /**
   * `columnLines`: where the ball enters and leaves the paddles' columns
   * (reckoning.ts): a compact connection is sent the ball whenever it crossed one.
   */
  constructor(players: ReadonlyArray<{ userId: number; team: Team; index: number }>, private readonly columnLines: readonly number[]) {
    this.seats = players.map((p) => ({ ...p, connection: null, graceTimer: null, awayUntil: null }));
  }

  /** A new connection of this room (not yet bound to a seat). */
  connect(socket: RoomSocket, spectator: boolean, encoding: WireEncoding): Connection {
    return new Connection(socket, spectator, encoding, this.outbox);
  }

  seatOf(userId: number): Seat | undefined {
    return this.seats.find((s) => s.userId === userId);
  }

  seatAt(team: Team, index: number): Seat | undefined {
    return this.seats.find((s) => s.team === team && s.index === index);
  }

  /** Binds a connection to a seat; returns the connection it replaced, unbound. */
  bind(seat: Seat, connection: Connection): Connection | null {
    const previous = seat.connection;
    if (previous) previous.seat = null;
    seat.connection = connection;
    connection.seat = seat;
    return previous;
  }

  /** Unbinds a leaving connection; returns its seat if it held one. */
  release(connection: Connection): Seat | null {
    const at = this.spectators.indexOf(connection);
    if (at !== -1) this.spectators.splice(at, 1);
    const seat = connection.seat;
    if (!seat || seat.connection !== connection) return null;
    seat.connection = null;
    connection.seat = null;
    return seat;
  }

  addSpectator(connection: Connection): void {
    if (!this.spectators.includes(connection)) this.spectators.push(connection);
  }

  /** The seats whose player is away mid-game, his grace running. */
  awaySeats(): Seat[] {
    return this.seats.filter((s) => !s.connection && s.graceTimer);
  }

  firstEmptySeat(): Seat | undefined {
    return this.seats.find((s) => !s.connection);
  }

  /** Every live connection: bound players, then spectators. */
  all(): Connection[] {
    return [...this.seats.flatMap((s) => (s.connection ? [s.connection] : [])), ...this.spectators];
  }

  /**
   * A connection of this perspective got a `game_state` of its own (a
   * catch-up): the next one of the perspective carries every field, so that
   * every compact connection of it shares one base again.
   */
  resetBase(viewer: Viewer): void {
    this.bases[viewerIndex(viewer)].reset();
  }

  /** The message is encoded once per encoding and the same bytes go to every recipient. */
  broadcast<K extends ServerEvent>(event: K, data: ServerMessages[K], except?: Connection): void {
    let json: OutFrame | null = null;
    let compact: OutFrame | null = null;
    const deliver = (connection: Connection) => {
      if (connection === except) return;
      if (connection.encoding === 'compact') connection.enqueue((compact ??= compactFrame(event, data)));
      else connection.enqueue((json ??= jsonFrame(event, data)));
    };
    for (const seat of this.seats) if (seat.connection) deliver(seat.connection);
    for (let i = 0; i < this.spectators.length; i++) deliver(this.spectators[i]);
  }

  /**
   * `game_state` to everybody: encoded once per perspective (team a, team b,
   * spectators) and encoding, the same bytes to each of its connections.
   * `view(viewer, out)` fills in the ball as that perspective sees it; a
   * compact message carries only what changed since the perspective's last.
   * `at`: when (room clock, ms): a tick's planned time when `onTick`. On a
   * tick, compact connections are sent nothing while the ball flies on as
   * they extrapolate it (docs/game-protocol.md, The compact encoding); outside
   * ticks (a serve, a resume, the start) and to JSON connections, every state goes.
   */
  publishBall(view: (viewer: Viewer, out: BallView) => void, json: (viewer: Viewer) => string, at: number, onTick: boolean): void {
    const seats = this.seats;
    for (let i = 0; i < seats.length; i++) {
      const connection = seats[i].connection;
      if (!connection) continue;
      const frame = this.ballFrame(connection, view, json, at, onTick);
      if (frame !== OMITTED) connection.enqueue(frame);
    }
    const spectators = this.spectators;
    for (let i = 0; i < spectators.length; i++) {
      const frame = this.ballFrame(spectators[i], view, json, at, onTick);
      if (frame !== OMITTED) spectators[i].enqueue(frame);
    }
    const frames = this.ballFrames;
    for (let i = 0; i < frames.length; i++) frames[i] = null;
  }

  private ballFrame(
    connection: Connection, view: (viewer: Viewer, out: BallView) => void, json: (viewer: Viewer) => string, at: number, onTick: boolean,
  ): OutFrame {
    const viewer = connection.viewer;
    const v = viewerIndex(viewer);
    const compact = connection.encoding === 'compact';
    const slot = compact ? v : 3 + v;
    const cached = this.ballFrames[slot];
    if (cached) return cached;
    let frame: OutFrame;
    if (compact) {
      view(viewer, scratch);
      const base = this.bases[v];
      const zone = columnZone(this.columnLines, scratch.x);
      if (onTick && zone === this.sentZone[v] && base.predicts(scratch, (at - this.sentAt[v]) / 1000)) {
        frame = OMITTED;
      } else {
        const w = this.ballWriter.reset();
        writeGameState(w, base, scratch);
        frame = slabFrame(w);
        this.sentAt[v] = at;
        this.sentZone[v] = zone;
      }
    } else {
      frame = new OutFrame(json(viewer), null);
    }
    this.ballFrames[slot] = frame;
    return frame;
  }
}

/** A publication's compact `game_state` that its receivers can do without (the cache's marker; never sent). */
const OMITTED = new OutFrame(null, new Uint8Array(0));

const scratch: BallView = { x: 0, y: 0, speedX: 0, speedY: 0, speed: 0 };
