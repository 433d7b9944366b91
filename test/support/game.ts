import WebSocket from 'ws';
import type { ManualClock } from '../../src/platform/clock.js';
import { encodeClientFrame, gameSocketUrl, type ClientEvent, type ClientMessages, type ServerEvent, type ServerFrame } from '../../src/game/protocol.js';
import { nodeUrlFor, type ApiClient, type TestUser } from './http.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw game-socket client that records every frame, for assertions on the protocol. */
export class GameSocket {
  readonly frames: ServerFrame[] = [];
  closeCode: number | null = null;
  closeReason = '';
  private taken = new Map<string, number>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.frames.push(JSON.parse(data.toString())));
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
    ws.on('error', () => {});
  }

  /** Connects with `?token=` (default) or the Authorization header; `matchCode` to spectate. */
  static async open(baseUrl: string, token: string | null, options: { matchCode?: string; viaHeader?: boolean } = {}): Promise<GameSocket> {
    baseUrl = nodeUrlFor(baseUrl);
    const url = options.viaHeader || token === null
      ? gameSocketUrl(baseUrl, '', options.matchCode).replace(/token=&?/, '')
      : gameSocketUrl(baseUrl, token, options.matchCode);
    const headers = options.viaHeader && token ? { authorization: `Bearer ${token}` } : undefined;
    const ws = new WebSocket(url, { rejectUnauthorized: false, headers });
    const socket = new GameSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  events(): ServerFrame[];
  events<E extends ServerEvent>(name: E): Array<Extract<ServerFrame, { event: E }>>;
  events(name?: string): ServerFrame[] {
    return name ? this.frames.filter((f) => f.event === name) : this.frames;
  }

  /**
   * Waits (real time) until `predicate` holds. With `clock`, the server's
   * clock also moves on while waiting, for what the server does on its own
   * timers after an event whose real-time arrival varies with load.
   */
  async waitFor(predicate: () => boolean, timeoutMs = 5000, clock?: ManualClock): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${this.frames.map((f) => f.event).join(',')} close=${this.closeCode}`);
      clock?.advance(1000 / 60);
      await sleep(2);
    }
  }

  /** The next frame of this event not yet taken. */
  async next<E extends ServerFrame['event']>(event: E, timeoutMs = 5000): Promise<Extract<ServerFrame, { event: E }>> {
    const index = this.taken.get(event) ?? 0;
    await this.waitFor(() => this.events(event).length > index, timeoutMs);
    this.taken.set(event, index + 1);
    return this.events(event)[index] as Extract<ServerFrame, { event: E }>;
  }

  async waitClosed(timeoutMs = 5000, clock?: ManualClock): Promise<{ code: number; reason: string }> {
    await this.waitFor(() => this.closeCode !== null, timeoutMs, clock);
    return { code: this.closeCode!, reason: this.closeReason };
  }

  send<K extends ClientEvent>(event: K, data: ClientMessages[K]): void {
    this.ws.send(encodeClientFrame(event, data));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close(1000);
  }
}

/** Moves the manual clock in small steps, letting real sockets and the database work in between. */
export async function pump(clock: ManualClock, ms: number, options: { stepMs?: number; until?: () => boolean } = {}): Promise<void> {
  const step = options.stepMs ?? 1000 / 60;
  for (let elapsed = 0; elapsed < ms; elapsed += step) {
    if (options.until?.()) return;
    clock.advance(Math.min(step, ms - elapsed));
    await sleep(1);
  }
}

/** Lets pending promises and socket traffic settle (real time, the clock does not move). */
export const settle = (ms = 30) => sleep(ms);

export type Side = TestUser[];

/** `POST /api/private/match/create/` with these users as team a and team b. */
export async function createMatch(internal: ApiClient, gameMode: string, a: TestUser[], b: TestUser[], extra: Record<string, unknown> = {}) {
  const seat = (u: TestUser) => (gameMode === 'ranked' ? { id: u.id, trophies: 0 } : { id: u.id });
  const response = await internal.post('/api/private/match/create/', { game_mode: gameMode, teams: { a: a.map(seat), b: b.map(seat) }, ...extra });
  if (response.status !== 201) throw new Error(`create match: ${response.status} ${response.text}`);
  return response.body as { id: number; code: string; teams: any; tournament_id?: number | null };
}

/** A goal of a match played through the private score API: `scorer` scores, or `{ own: u }` scores against his own side. */
export type ScriptedGoal = TestUser | { own: TestUser };

/** A match created and played to its end through the internal API, goal by goal; answers the finished match. */
export async function playScripted(internal: ApiClient, gameMode: string, a: TestUser[], b: TestUser[], goals: ScriptedGoal[]): Promise<{ id: number; finished: boolean }> {
  const match = await createMatch(internal, gameMode, a, b);
  let last: any = null;
  for (const goal of goals) {
    const res = 'own' in goal
      ? await internal.patch(`/api/private/match/score/${goal.own.id}/`, { own_goal: true })
      : await internal.put(`/api/private/match/score/${goal.id}/`, {});
    if (res.status !== 200) throw new Error(`goal of match ${match.id}: ${res.status} ${res.text}`);
    last = res.body;
  }
  if (last?.id !== match.id || !last.finished) throw new Error(`match ${match.id} not finished by its scripted goals`);
  return last;
}
