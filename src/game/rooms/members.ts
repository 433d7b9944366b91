import type { TimerHandle } from '../../platform/clock.js';
import type { Team, Viewer } from '../engine/index.js';
import { encodeServerFrame, type ServerEvent, type ServerMessages } from '../protocol.js';

/** The transport side of one connection (a WebSocket in production, anything in unit tests). */
export interface RoomSocket {
  send(text: string): void;
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

export class Connection {
  /** The seat this connection steers, or null for spectators and replaced connections. */
  seat: Seat | null = null;
  constructor(readonly socket: RoomSocket, readonly spectator: boolean) {}

  get viewer(): Viewer {
    return this.seat ? this.seat.team : 'spectator';
  }

  send<K extends ServerEvent>(event: K, data: ServerMessages[K]): void {
    this.sendText(encodeServerFrame(event, data));
  }

  /** An already encoded frame (one encoding shared by every recipient of the same bytes). */
  sendText(text: string): void {
    try {
      this.socket.send(text);
    } catch {
      // A socket that died mid-send is cleaned up by its close handler.
    }
  }
}

/** Who is in a room: the seats in match order (team a then b) and the spectators. */
export class RoomMembers {
  readonly seats: Seat[];
  private readonly spectators = new Set<Connection>();

  constructor(players: ReadonlyArray<{ userId: number; team: Team; index: number }>) {
    this.seats = players.map((p) => ({ ...p, connection: null, graceTimer: null, awayUntil: null }));
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
    this.spectators.delete(connection);
    const seat = connection.seat;
    if (!seat || seat.connection !== connection) return null;
    seat.connection = null;
    connection.seat = null;
    return seat;
  }

  addSpectator(connection: Connection): void {
    this.spectators.add(connection);
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

  /** Calls `fn` for every live connection, in the order of `all()`, without building the list. */
  forEach(fn: (connection: Connection) => void): void {
    for (const seat of this.seats) if (seat.connection) fn(seat.connection);
    if (this.spectators.size) for (const connection of [...this.spectators]) fn(connection);
  }

  /** The frame is encoded once and the same text is written to every recipient. */
  broadcast<K extends ServerEvent>(event: K, data: ServerMessages[K], except?: Connection): void {
    let text: string | null = null;
    this.forEach((connection) => {
      if (connection === except) return;
      text ??= encodeServerFrame(event, data);
      connection.sendText(text);
    });
  }
}
