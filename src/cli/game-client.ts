import WebSocket from 'ws';
import type { Direction, GameConfig, Team } from '../game/engine/index.js';
import { CloseCodes, type ServerMessages } from '../game/protocol.js';
import { GameModel, type FieldView } from '../client/game-model.js';
import { intervalClock, openGameSocket, type GameSocket, type GameSocketClose } from '../client/game-socket.js';

/**
 * One game seen from the terminal: the game socket feeding a `GameModel`.
 * A refused connection ends the session; a connection lost mid-game leaves
 * it `lost` with the reason, and `reconnect()` takes the seat back (the
 * server keeps it for 10 s and sends the catch-up sequence).
 */

/** The `data` of a `game-start` event: the match object (docs/events.md, Games). */
export interface MatchInfo {
  id: number;
  code: string;
  game_mode: string;
  match_type: string;
  /** A tournament game's tournament. */
  tournament_id?: number | null;
  teams: Record<Team, { players: Array<{ id: number; username: string; computer?: string | null }> }>;
}

/** "Computer (medium)" for a computer player's seat (docs/api.md, Computer players), the name otherwise. */
export const seatName = (player: { username?: string; computer?: string | null }) =>
  (player.computer ? `Computer (${player.computer})` : player.username ?? 'a deleted player');

/** The players of a team, by name: `bob`, `ann, cid, Computer (medium)`. */
export const teamNames = (players: ReadonlyArray<{ username?: string; computer?: string | null }>) => players.map(seatName).join(', ');

export type ConnectionState = 'connecting' | 'open' | 'lost' | 'refused' | 'closed';

export interface GameSessionOptions {
  baseUrl: string;
  /** `target[0].url` of the `game-start` event; `/ws/game/` by default. */
  path?: string;
  token(): Promise<string>;
  insecure?: boolean;
  match: MatchInfo;
  myId: number;
  /**
   * Watch the match (`match.code`) as a spectator instead of playing it: no input, team a on the
   * right (docs/game-protocol.md); `match.teams` may be empty (the `rackets` frame seats the paddles).
   */
  spectate?: boolean;
  /** The game's time base (the server's clock in tests). */
  now?: () => number;
  config?: GameConfig;
  onChange(): void;
  /** "unable to establish connection" after this long. */
  connectTimeoutMs?: number;
}

/** Close codes after which coming back cannot help. */
const REFUSALS: readonly number[] = [CloseCodes.unauthenticated, CloseCodes.forbidden, CloseCodes.notFound, CloseCodes.replaced];

/** My team: `a` when I am a player of team a (the terminal client takes the first player), else `b`. */
export function teamOf(match: MatchInfo, userId: number): Team {
  return match.teams.a.players.some((p) => p.id === userId) ? 'a' : 'b';
}

export class GameSession {
  readonly model: GameModel;
  readonly myTeam: Team;
  /** The other team's players (team b's for a spectator). */
  readonly opponent: string;
  readonly spectating: boolean;
  connection: ConnectionState = 'connecting';
  /** Why the connection was refused or lost. */
  problem: string | null = null;
  /** Frames received, by event name. */
  readonly received = new Map<string, number>();
  /** Connections opened (1 + reconnections). */
  connects = 0;
  private conn: GameSocket | null = null;
  private raw: WebSocket | null = null;
  /** The upgrade was answered with an HTTP status instead of a socket (the `ws` package alone says so). */
  private httpRefusal: number | null = null;
  private closedByMe = false;
  private readonly now: () => number;

  constructor(private readonly options: GameSessionOptions) {
    this.now = options.now ?? (() => Date.now());
    this.spectating = options.spectate === true;
    this.myTeam = this.spectating ? 'a' : teamOf(options.match, options.myId);
    const others = options.match.teams[this.myTeam === 'a' ? 'b' : 'a'].players;
    this.opponent = others.length > 0 ? teamNames(others) : 'opponent';
    const { teams } = options.match;
    const seated = teams.a.players.length > 0 && teams.b.players.length > 0;
    this.model = new GameModel({
      perspective: this.spectating ? { kind: 'spectator' } : { kind: 'player', myId: options.myId, myTeam: this.myTeam },
      send: (event, data) => { if (!this.spectating) this.conn?.send(event, data); },
      config: options.config,
      teams: seated ? { a: teams.a.players.map((p) => p.id), b: teams.b.players.map((p) => p.id) } : null,
      now: this.now,
    });
  }

  get match(): MatchInfo {
    return this.options.match;
  }

  get over(): ServerMessages['game_over'] | null {
    return this.model.over;
  }

  /** The raw socket (tests cut it to simulate a lost network). */
  get socket(): WebSocket | null {
    return this.raw;
  }

  async connect(): Promise<void> {
    this.closedByMe = false;
    this.connection = 'connecting';
    this.problem = null;
    this.httpRefusal = null;
    this.options.onChange();
    const conn: GameSocket = openGameSocket(
      {
        baseUrl: this.options.baseUrl,
        path: this.spectating ? undefined : this.options.path,
        matchCode: this.spectating ? this.options.match.code : undefined,
        token: () => this.options.token(),
        webSocket: (url) => this.openRaw(url),
        connectTimeoutMs: this.options.connectTimeoutMs,
        clock: intervalClock(this.now),
      },
      {
        onOpen: () => {
          if (this.conn !== conn) return;
          this.connects += 1;
          this.connection = 'open';
          this.options.onChange();
        },
        onFrame: (frame) => {
          if (this.conn !== conn) return;
          this.received.set(frame.event, (this.received.get(frame.event) ?? 0) + 1);
          this.model.handle(frame);
          this.options.onChange();
        },
        onClose: (info) => {
          if (this.conn === conn) this.closed(info);
        },
      },
    );
    this.conn = conn;
  }

  /** Back into the same game after a lost connection. */
  reconnect(): Promise<void> {
    const old = this.conn;
    this.conn = null;
    old?.close();
    return this.connect();
  }

  setInput(direction: Direction): void {
    if (this.connection !== 'open' || this.spectating) return;
    this.model.setInput(direction);
  }

  frame(): FieldView {
    return this.model.frame(this.now());
  }

  close(): void {
    this.closedByMe = true;
    const conn = this.conn;
    this.conn = null;
    conn?.close();
    this.connection = 'closed';
  }

  private openRaw(url: string): WebSocket {
    const ws = new WebSocket(url, { rejectUnauthorized: !this.options.insecure });
    ws.on('unexpected-response', (_request, response) => {
      this.httpRefusal = response.statusCode ?? 0;
      response.resume();
      ws.terminate();
    });
    this.raw = ws;
    return ws;
  }

  private closed({ code, reason, timedOut }: GameSocketClose): void {
    if (this.closedByMe || this.model.over) {
      this.connection = 'closed';
      this.options.onChange();
      return;
    }
    if (this.httpRefusal !== null) return this.fail('refused', `the game server refused the connection (HTTP ${this.httpRefusal})`);
    if (timedOut) return this.fail('lost', 'unable to establish connection with the game server');
    this.model.disconnected();
    if (code === CloseCodes.restarting) {
      // The node is going away; another one carries the match on.
      this.connection = 'lost';
      this.problem = 'the game server restarted; reconnecting';
      this.options.onChange();
      const conn = this.conn;
      setTimeout(() => { if (this.conn === conn && !this.closedByMe) void this.connect(); }, 300).unref?.();
      return;
    }
    if (REFUSALS.includes(code)) return this.fail('refused', reason || `refused (${code})`);
    this.fail('lost', reason ? `connection to the game server lost: ${reason}` : 'connection to the game server lost');
  }

  private fail(state: 'lost' | 'refused', problem: string): void {
    this.connection = state;
    this.problem = problem;
    this.options.onChange();
  }
}
