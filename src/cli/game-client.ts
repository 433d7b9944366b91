import WebSocket from 'ws';
import type { Direction, GameConfig, Team } from '../game/engine/index.js';
import { CloseCodes, decodeServerFrame, encodeClientFrame, GAME_SOCKET_PATH, type ServerMessages } from '../game/protocol.js';
import { GameModel, type FieldView } from './game-model.js';

/**
 * One game seen from the terminal: the game socket (plain WebSocket,
 * `{"event", "data"}` frames, bearer header) feeding a `GameModel`.
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
  teams: Record<Team, { players: Array<{ id: number; username: string }> }>;
}

export type ConnectionState = 'connecting' | 'open' | 'lost' | 'refused' | 'closed';

export interface GameSessionOptions {
  baseUrl: string;
  /** `target[0].url` of the `game-start` event; `/ws/game/` by default. */
  path?: string;
  token(): Promise<string>;
  insecure?: boolean;
  match: MatchInfo;
  myId: number;
  /** The game's time base (the server's clock in tests). */
  now?: () => number;
  config?: GameConfig;
  onChange(): void;
  /** "unable to establish connection" after this long. */
  connectTimeoutMs?: number;
}

/** My team: `a` when I am a player of team a (the terminal client takes the first player), else `b`. */
export function teamOf(match: MatchInfo, userId: number): Team {
  return match.teams.a.players.some((p) => p.id === userId) ? 'a' : 'b';
}

export class GameSession {
  readonly model: GameModel;
  readonly myTeam: Team;
  readonly opponent: string;
  connection: ConnectionState = 'connecting';
  /** Why the connection was refused or lost. */
  problem: string | null = null;
  /** Frames received, by event name. */
  readonly received = new Map<string, number>();
  /** Connections opened (1 + reconnections). */
  connects = 0;
  private ws: WebSocket | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private closedByMe = false;
  private readonly now: () => number;

  constructor(private readonly options: GameSessionOptions) {
    this.now = options.now ?? (() => Date.now());
    this.myTeam = teamOf(options.match, options.myId);
    const other = options.match.teams[this.myTeam === 'a' ? 'b' : 'a'].players[0];
    this.opponent = other?.username ?? 'opponent';
    this.model = new GameModel(options.myId, this.myTeam, (event, data) => {
      if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(encodeClientFrame(event, data));
    }, options.config);
  }

  get match(): MatchInfo {
    return this.options.match;
  }

  get over(): ServerMessages['game_over'] | null {
    return this.model.over;
  }

  /** The raw socket (tests cut it to simulate a lost network). */
  get socket(): WebSocket | null {
    return this.ws;
  }

  async connect(): Promise<void> {
    this.closedByMe = false;
    this.connection = 'connecting';
    this.problem = null;
    this.options.onChange();
    let token: string;
    try {
      token = await this.options.token();
    } catch (error) {
      this.fail('refused', (error as Error).message);
      return;
    }
    if (this.closedByMe) return;
    const url = new URL(this.options.path ?? GAME_SOCKET_PATH, this.options.baseUrl.replace(/^http/, 'ws'));
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: !this.options.insecure, handshakeTimeout: this.options.connectTimeoutMs ?? 5500 });
    this.ws = ws;
    this.connectTimer = setTimeout(() => {
      if (ws.readyState === WebSocket.CONNECTING) {
        ws.terminate();
        this.fail('lost', 'unable to establish connection with the game server');
      }
    }, this.options.connectTimeoutMs ?? 5500);
    this.connectTimer.unref?.();
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.clearConnectTimer();
      this.connects += 1;
      this.connection = 'open';
      this.options.onChange();
    });
    ws.on('message', (data, isBinary) => {
      if (this.ws !== ws || isBinary) return;
      const frame = decodeServerFrame(data.toString());
      if (!frame) return;
      this.received.set(frame.event, (this.received.get(frame.event) ?? 0) + 1);
      this.model.handle(frame, this.now());
      this.options.onChange();
    });
    ws.on('error', () => {});
    ws.on('unexpected-response', (_request, response) => {
      this.fail('refused', `the game server refused the connection (HTTP ${response.statusCode})`);
      ws.terminate();
    });
    ws.on('close', (code, reasonBuffer) => {
      if (this.ws !== ws) return;
      this.clearConnectTimer();
      const reason = reasonBuffer.toString();
      if (this.closedByMe || this.model.over) {
        this.connection = 'closed';
        this.options.onChange();
        return;
      }
      if (this.connection === 'refused' || this.connection === 'lost') return;
      this.model.disconnected(this.now());
      if (code === CloseCodes.restarting) {
        // The node is going away; another one carries the match on.
        this.connection = 'lost';
        this.problem = 'the game server restarted; reconnecting';
        this.options.onChange();
        setTimeout(() => { if (this.ws === ws && !this.closedByMe) void this.connect(); }, 300).unref?.();
        return;
      }
      if (code === CloseCodes.unauthenticated || code === CloseCodes.forbidden || code === CloseCodes.notFound || code === CloseCodes.replaced) {
        this.fail('refused', reason || `refused (${code})`);
        return;
      }
      this.fail('lost', reason ? `connection to the game server lost: ${reason}` : 'connection to the game server lost');
    });
  }

  /** Back into the same game after a lost connection. */
  reconnect(): Promise<void> {
    this.ws?.removeAllListeners('close');
    this.ws?.terminate();
    this.ws = null;
    return this.connect();
  }

  setInput(direction: Direction): void {
    if (this.connection !== 'open') return;
    this.model.setInput(direction, this.now());
  }

  frame(): FieldView {
    return this.model.frame(this.now());
  }

  close(): void {
    this.closedByMe = true;
    this.clearConnectTimer();
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) this.ws.close(1000);
    this.connection = 'closed';
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private fail(state: 'lost' | 'refused', problem: string): void {
    this.clearConnectTimer();
    this.connection = state;
    this.problem = problem;
    this.options.onChange();
  }
}
