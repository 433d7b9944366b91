import type { MatchObject, Me, RankedEntry, StatsRow, Tokens } from '../client/types.js';
import { GAME_CONFIG, type Direction, type GameConfig } from '../game/engine/index.js';
import { Api, ApiError, isConnectionError, normalizeServer, type QueueMode } from './api.js';
import { sessionStream, type LiveEvent, type LiveStream, type StreamState } from './events.js';
import { GameSession, type MatchInfo } from './game-client.js';
import { ReplayRun } from './replay.js';
import { PLAY_SCREEN_NAMES, PlayFeatures, type PlayScreen } from './play/features.js';
import { Social, type SocialScreen } from './social/social.js';

/**
 * The terminal client without the terminal: every screen, every action and
 * every reaction to the server, as a state machine that the screens draw and
 * the keyboard drives (and that the tests drive directly).
 *
 * login ──guest/login/register──▶ menu ──Duel/Ranked──▶ queue ──game-start──▶ game ──game_over──▶ end
 *   ▲                              │ ▲                    │cancel                                 │
 *   └────────────logout────────────┘ └────────────────────┴───────────────back to menu──────────────┘
 *                         menu ◀──back── history ──Enter──▶ replay ──back──▶ history
 *   menu ◀──back── friends · chats ⇄ chat · inbox (Ctrl+N) · account   (`social`, social/social.ts)
 *
 * While the live stream is down every screen says so in the status line
 * (an error marked `connection`, cleared by itself once the stream is back).
 * A search cannot go on without the stream (the server drops the queue entry
 * of a user whose last stream closed): it is suspended, and entered again by
 * itself once the stream is back.
 */

export interface Profile {
  me: Me;
  stats: StatsRow[];
  ranked: RankedEntry[];
}

export type Screen =
  | { name: 'login'; busy: string | null }
  | { name: 'menu' }
  | { name: 'profile'; profile: Profile | null }
  /**
   * `entered`: the server holds the queue entry; `suspended`: the live stream
   * is down, so there is no search until it is back (then it starts again).
   */
  | { name: 'queue'; mode: QueueMode; since: number; entered: boolean; suspended: boolean }
  | { name: 'game' }
  | { name: 'end' }
  /** The signed-in user's finished matches (`ControllerState.history`). */
  | { name: 'history' }
  /** One match played again (`Controller.replay` once `ready`). */
  | { name: 'replay'; match: MatchObject; load: 'loading' | 'ready' | 'missing' | 'failed' }
  /** Lobbies, tournaments, spectating, the local game (`Controller.play`, play/features.ts). */
  | PlayScreen
  /** Friends, chat, the notifications, the account (`Controller.social`, social/social.ts). */
  | SocialScreen;

export type ScreenName = Screen['name'];

export interface Notice {
  at: number;
  text: string;
  kind: 'info' | 'error' | 'event';
}

export interface ControllerState {
  screen: Screen;
  /** `https://host:port` of the server. */
  server: string;
  user: Me | null;
  stream: StreamState;
  /**
   * The status line: the last error or result of an action on this screen.
   * `connection`: it is about the lost connection to the server, and goes
   * away by itself once the live stream is back.
   */
  status: Status | null;
  /** The notice line's history (live events, connection news), newest last. */
  notices: Notice[];
  /** The match history as loaded so far (kept while a replay of it is watched); null before it is opened. */
  history: MatchHistory | null;
}

/** The user's finished matches, most recent first, loaded page by page through the API's `next` links. */
export interface MatchHistory {
  matches: MatchObject[];
  /** How many there are in all; null until the first page came. */
  count: number | null;
  /** The API's link to the next page; null once everything is loaded. */
  next: string | null;
  loading: boolean;
  /** Index of the selected match in `matches`. */
  selected: number;
}

export interface Status {
  text: string;
  kind: 'info' | 'error';
  connection?: boolean;
}

/** Status line texts about the connection to the server (read by a person: whole sentences, no codes). */
export const ConnectionTexts = {
  lost: 'Connection to the server lost — reconnecting…',
  searchSuspended: 'Connection to the server lost — search suspended, reconnecting…',
  searchResumed: 'Connection to the server is back — searching again.',
  cannotSearch: 'Cannot search while the connection to the server is lost — reconnecting…',
  notYetConnected: 'Still connecting to the server — search again in a moment.',
  searchCancelled: 'Search cancelled. Reconnecting to the server…',
  sessionRefused: 'The server ended this session — press Ctrl+L and log in again.',
} as const;

/** What the replay screen says instead of the field (sentences, no codes). */
export const ReplayTexts = {
  loading: 'Loading the replay…',
  missing: 'This match has no replay.',
  failed: 'The replay cannot be loaded right now.',
  unreadable: 'This replay was recorded in a format this client cannot play.',
} as const;

export interface ControllerOptions {
  server: string;
  insecure?: boolean;
  /** The game's time base (tests pass the server's manual clock). */
  gameNow?: () => number;
  /** Live stream tuning (tests shorten the delays). */
  stream?: { retryDelaysMs?: number[]; idleTimeoutMs?: number };
  gameConnectTimeoutMs?: number;
  /** How long the play endpoints are retried while the server has not yet counted the new stream. */
  sseSettleMs?: number;
  /** Matches per page of the match history (`limit`); 20 by default. */
  historyPageSize?: number;
  /** How often the friends' online state is read again on the friends screen (ms; 5000 by default, 0: never). */
  presenceRefreshMs?: number;
}

/** The next page of the history is fetched once the selection comes this close to the last match loaded. */
const HISTORY_LOOKAHEAD = 3;

const MAX_NOTICES = 50;
const FRIEND_EVENTS: Record<string, string> = {
  'reject-friend-request': 'A friend request was declined.',
  'cancel-friend-request': 'A friend request was cancelled.',
  'delete-friend': 'A friendship ended.',
};

/** A `gameConfig.json` document that has the numbers the engine reads, else null. */
export function readGameConfig(value: unknown): GameConfig | null {
  const doc = value as Partial<GameConfig> | null;
  const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;
  if (!doc || typeof doc !== 'object' || !doc.canvas?.normal || !doc.paddle?.normal || !doc.ball || !doc.server?.tickRate || !doc.score) return null;
  const numbers = [doc.canvas.normal.width, doc.canvas.normal.height, doc.paddle.normal.width, doc.paddle.normal.height, doc.paddle.normal.speed, doc.ball.size, doc.ball.speed];
  if (!numbers.every(ok) || !doc.canvas.clash || !doc.paddle.clash || !doc.canvas.local || !doc.paddle.local) return null;
  return doc as GameConfig;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Controller {
  state: ControllerState;
  game: GameSession | null = null;
  /** The replay on the replay screen, once loaded. */
  replay: ReplayRun | null = null;
  /** The last `game-start` of this session, to resume the game after a lost connection. */
  lastGameStart: { match: MatchInfo; path: string } | null = null;
  gameConfig: GameConfig = GAME_CONFIG;
  /** Lobbies, tournaments, spectating, the computer opponent, the local game (play/features.ts). */
  readonly play: PlayFeatures;
  /** Friends, chat, the notifications inbox, the account, the trophies of a ranked game (social/social.ts). */
  readonly social: Social;
  private api: Api;
  private stream: LiveStream | null = null;
  private listeners = new Set<() => void>();
  private queueAttempt = 0;
  /** Bumped when the history is opened again or a replay is left: older answers are dropped. */
  private historyAttempt = 0;
  private replayAttempt = 0;
  /** The live stream is down since its last failure (null: not down), and whether it is retried. */
  private streamTrouble: 'retrying' | 'refused' | null = null;

  constructor(private readonly options: ControllerOptions) {
    const server = normalizeServer(options.server);
    this.api = new Api(server, { insecure: options.insecure });
    this.state = {
      screen: { name: 'login', busy: null },
      server,
      user: null,
      stream: { status: 'off', error: null, retryAt: null, connections: 0 },
      status: null,
      notices: [],
      history: null,
    };
    this.play = new PlayFeatures({
      api: () => this.api,
      user: () => this.state.user,
      streamUp: () => this.state.stream.status === 'up',
      screenName: () => this.state.screen.name,
      go: (screen, status) => this.go(screen, status ?? null),
      setStatus: (status) => this.update({ status: status ?? this.connectionStatus() }),
      notice: (text, kind) => this.notice(text, kind),
      changed: () => this.changed(),
      failure: (error) => this.failure(error),
      gameConfig: () => this.gameConfig,
      token: () => this.api.freshAccess(),
      baseUrl: () => this.api.baseUrl,
      insecure: options.insecure,
      gameNow: options.gameNow,
      gameConnectTimeoutMs: options.gameConnectTimeoutMs,
      sseSettleMs: options.sseSettleMs,
    });
    this.social = new Social({
      api: () => this.api,
      user: () => this.state.user,
      setUser: (user) => this.update({ user }),
      screenName: () => this.state.screen.name,
      go: (screen, status) => this.go(screen, status ?? null),
      setStatus: (status) => this.update({ status: status ?? this.connectionStatus() }),
      notice: (text, kind) => this.notice(text, kind),
      changed: () => this.changed(),
      failure: (error) => this.failure(error),
      joinByCode: (kind, code) => this.joinByCode(kind, code),
      presenceRefreshMs: options.presenceRefreshMs,
    });
  }

  /**
   * Joins the lobby or the tournament with this code — typed by the person, or the `data.code` of an
   * invitation (`invite-1v1`, `invite-3v3`, `invite-clash`: a lobby; `invite-tournament`: a
   * tournament; `invitationKind()` of play/features.ts tells which) — and opens its screen.
   * Answers whether the user is in it; a refusal is said on the status line.
   */
  joinByCode(kind: 'lobby' | 'tournament', code: string): Promise<boolean> {
    return this.play.joinByCode(kind, code);
  }

  // --- observation -------------------------------------------------------------

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private update(change: Partial<ControllerState>): void {
    this.state = { ...this.state, ...change };
    this.changed();
  }

  /** A new screen, with its status line (by default: the lost connection while it lasts, else nothing). */
  private go(screen: Screen, status: ControllerState['status'] = null): void {
    this.update({ screen, status: status ?? this.connectionStatus() });
  }

  /** What the status line says while the live stream is down. */
  private connectionStatus(): Status | null {
    if (!this.state.user || !this.streamTrouble) return null;
    if (this.streamTrouble === 'refused') return { text: ConnectionTexts.sessionRefused, kind: 'error' };
    return { text: ConnectionTexts.lost, kind: 'error', connection: true };
  }

  private say(text: string, kind: 'info' | 'error' = 'info', connection = false): void {
    this.update({ status: { text, kind, ...(connection ? { connection } : {}) } });
  }

  /** The status line for an error: connection errors are marked to be cleared when the stream is back. */
  private failure(error: unknown): Status {
    return { text: this.describe(error), kind: 'error', ...(isConnectionError(error) ? { connection: true } : {}) };
  }

  notice(text: string, kind: Notice['kind'] = 'event'): void {
    const notices = [...this.state.notices, { at: Date.now(), text, kind }].slice(-MAX_NOTICES);
    this.update({ notices });
  }

  get screen(): ScreenName {
    return this.state.screen.name;
  }

  /** The current screen (a call, so that checks after an `await` are not narrowed away). */
  private now(): Screen {
    return this.state.screen;
  }

  // --- login -------------------------------------------------------------------

  /** Points the client at another server (login screen only). */
  setServer(input: string): boolean {
    if (this.state.user) return false;
    let server: string;
    try {
      server = normalizeServer(input);
    } catch (error) {
      this.say(`Invalid server address ${input.trim() || '(empty)'}: ${(error as Error).message}.`, 'error');
      return false;
    }
    if (server !== this.api.baseUrl) {
      void this.api.close();
      this.api = new Api(server, { insecure: this.options.insecure });
    }
    this.update({ server });
    return true;
  }

  login(username: string, password: string): Promise<boolean> {
    return this.authenticate('Logging in…', () => this.api.login(username, password));
  }

  register(username: string, password: string): Promise<boolean> {
    return this.authenticate('Creating the account…', () => this.api.register(username, password));
  }

  guest(): Promise<boolean> {
    return this.authenticate('Creating a guest…', () => this.api.guest());
  }

  private async authenticate(busy: string, obtain: () => Promise<Tokens>): Promise<boolean> {
    if (this.state.screen.name !== 'login' || this.state.screen.busy) return false;
    this.go({ name: 'login', busy });
    try {
      await obtain();
      const [user, config] = await Promise.all([this.api.me(), this.api.gameConfig()]);
      this.gameConfig = readGameConfig(config) ?? GAME_CONFIG;
      this.update({ user });
      this.go({ name: 'menu' }, { text: `Logged in as ${user.username}.`, kind: 'info' });
      this.openStream();
      return true;
    } catch (error) {
      this.api.tokens = null;
      this.go({ name: 'login', busy: null }, { text: this.describe(error), kind: 'error' });
      return false;
    }
  }

  /** Ctrl+L: leaves the queue, stops the stream, forgets the session. */
  async logout(): Promise<void> {
    if (!this.state.user) return;
    if (this.state.screen.name === 'queue') await this.api.leaveQueue(this.state.screen.mode).catch(() => {});
    this.closeGame();
    this.closeReplay();
    this.play.reset();
    this.social.reset();
    this.stream?.stop();
    this.stream = null;
    this.api.tokens = null;
    this.lastGameStart = null;
    this.historyAttempt += 1;
    this.update({ user: null, history: null, stream: { status: 'off', error: null, retryAt: null, connections: 0 } });
    this.go({ name: 'login', busy: null }, { text: 'Logged out.', kind: 'info' });
  }

  // --- live stream ---------------------------------------------------------------

  private openStream(): void {
    this.stream?.stop();
    const stream = sessionStream(this.api, {
      onEvent: (event) => this.onLiveEvent(event),
      onState: (state) => this.onStreamState(state),
      retryDelaysMs: this.options.stream?.retryDelaysMs,
      idleTimeoutMs: this.options.stream?.idleTimeoutMs,
    });
    this.stream = stream;
    stream.start();
  }

  private onStreamState(state: StreamState): void {
    const before = this.state.stream;
    this.update({ stream: state });
    if (state.status === 'up' && before.status !== 'up') {
      this.notice(state.connections > 1 ? 'Live stream reconnected.' : 'Live stream connected.', 'info');
      this.streamBack();
    }
    if (state.status === 'down') {
      // Once per reason: the attempts in between (`connecting`) keep the last one.
      if (state.error && before.error !== state.error) {
        this.notice(state.retryAt
          ? `Connection to the server lost (${state.error}) — reconnecting… (Ctrl+R: retry now)`
          : `${state.error.charAt(0).toUpperCase()}${state.error.slice(1)}. Log in again (Ctrl+L).`, 'error');
      }
      this.streamLost(state.retryAt !== null, before.status === 'up');
    }
    if (state.status === 'off') this.streamTrouble = null;
  }

  /**
   * The stream is down: a search is suspended, and the status line says so
   * (keeping, between two failed attempts, an error the person just caused).
   */
  private streamLost(retrying: boolean, wasUp: boolean): void {
    this.streamTrouble = retrying ? 'retrying' : 'refused';
    if (!this.state.user) return;
    const screen = this.now();
    if (!retrying) {
      // No attempt follows: the search cannot come back.
      this.queueAttempt += 1;
      if (screen.name === 'queue') this.go({ name: 'menu' });
      else this.update({ status: this.connectionStatus() });
      return;
    }
    if (screen.name === 'queue') {
      if (!screen.suspended) this.suspendSearch();
      return;
    }
    const status = this.state.status;
    if (status?.connection) return;
    if (wasUp || !status || status.kind === 'info') this.update({ status: this.connectionStatus() });
  }

  /** The stream is back: a suspended search starts again, connection errors go away. */
  private streamBack(): void {
    this.streamTrouble = null;
    const screen = this.now();
    if (screen.name === 'queue' && screen.suspended) {
      this.resumeSearch();
      return;
    }
    if (this.state.status?.connection) this.update({ status: null });
  }

  private onLiveEvent({ event, envelope }: LiveEvent): void {
    // Lobbies, tournaments, the live list (play/features.ts).
    if (this.play.onEvent(event, envelope)) return;
    // Friends, chat, invitations, pictures (social/social.ts).
    if (this.social.onEvent(event, envelope)) return;
    // The home page's figures (docs/events.md, Activity): nothing the terminal shows.
    if (event === 'activity-update') return;
    if (event === 'game-start') {
      const match = envelope.data as MatchInfo;
      const path = envelope.target?.[0]?.url ?? '/ws/game/';
      if (!match || typeof match !== 'object' || !match.teams) return;
      this.lastGameStart = { match, path };
      if (this.game && this.game.match.code === match.code && !this.game.over) return;
      this.notice(`Game ${match.code} starts (${match.game_mode}).`);
      this.startGame(match, path);
      return;
    }
    if (event === 'delete-user') {
      this.notice('This account was deleted.', 'error');
      void this.logout();
      return;
    }
    const text = envelope.message || FRIEND_EVENTS[event] || event;
    this.notice(text);
    if (event === 'receive-friend-request' || event === 'accept-friend-request') {
      void this.api.me().then((user) => this.update({ user })).catch(() => {});
    }
  }

  // --- menu and profile ----------------------------------------------------------

  async openProfile(): Promise<void> {
    if (this.state.screen.name !== 'menu') return;
    this.go({ name: 'profile', profile: null });
    try {
      const [me, stats, ranked] = await Promise.all([this.api.me(), this.api.stats(), this.api.rankedHistory(5)]);
      if (this.now().name !== 'profile') return;
      this.update({ user: me });
      this.go({ name: 'profile', profile: { me, stats, ranked } });
    } catch (error) {
      if (this.now().name === 'profile') this.update({ status: this.failure(error) });
    }
  }

  /** Back: to the menu from the profile, the history or the end screen; to the history from a replay. */
  back(): void {
    const name = this.state.screen.name;
    if (name === 'profile' || name === 'history') this.go({ name: 'menu' });
    if (name === 'replay') {
      this.closeReplay();
      this.go({ name: 'history' });
    }
    if (name === 'end') {
      const match = this.game?.match ?? null;
      this.closeGame();
      // A lobby's or a tournament's game goes back to its lobby or bracket.
      if (!this.play.afterGame(match)) this.go({ name: 'menu' });
      void this.api.me().then((user) => this.update({ user })).catch(() => {});
    }
    if ((PLAY_SCREEN_NAMES as readonly string[]).includes(name)) this.play.back();
  }

  // --- match history and replays --------------------------------------------------------

  /** The menu's "Match history": the first page of the user's finished matches. */
  async openHistory(): Promise<void> {
    const user = this.state.user;
    if (this.state.screen.name !== 'menu' || !user) return;
    const attempt = ++this.historyAttempt;
    this.update({ history: { matches: [], count: null, next: null, loading: true, selected: 0 } });
    this.go({ name: 'history' });
    await this.fetchHistory(attempt, () => this.api.matchHistory(user.id, this.options.historyPageSize ?? 20));
  }

  /** The next page, by the API's `next` link (nothing when everything is loaded or a page is on its way). */
  async moreHistory(): Promise<void> {
    const history = this.state.history;
    if (!history?.next || history.loading) return;
    const link = history.next;
    this.update({ history: { ...history, loading: true } });
    await this.fetchHistory(this.historyAttempt, () => this.api.page<MatchObject>(link));
  }

  private async fetchHistory(attempt: number, fetch: () => Promise<{ count: number; next: string | null; results: MatchObject[] }>): Promise<void> {
    try {
      const page = await fetch();
      const history = this.state.history;
      if (attempt !== this.historyAttempt || !history) return;
      this.update({ history: { ...history, matches: [...history.matches, ...page.results], count: page.count, next: page.next, loading: false } });
    } catch (error) {
      const history = this.state.history;
      if (attempt !== this.historyAttempt || !history) return;
      this.update({ history: { ...history, loading: false } });
      if (this.now().name === 'history') this.update({ status: this.failure(error) });
    }
  }

  /** Selects the match at `index` (clamped); close to the last one loaded, the next page is fetched. */
  selectMatch(index: number): void {
    const history = this.state.history;
    if (this.now().name !== 'history' || !history || history.matches.length === 0) return;
    const selected = Math.max(0, Math.min(history.matches.length - 1, Math.floor(index)));
    if (selected !== history.selected) this.update({ history: { ...history, selected } });
    if (selected >= history.matches.length - HISTORY_LOOKAHEAD) void this.moreHistory();
  }

  /** Enter on the history: the selected match's replay, played by the engine (a 404 is a sentence). */
  async openReplay(): Promise<void> {
    const history = this.state.history;
    const match = history?.matches[history.selected];
    if (this.now().name !== 'history' || !match) return;
    this.closeReplay();
    const attempt = ++this.replayAttempt;
    this.go({ name: 'replay', match, load: 'loading' });
    const current = () => attempt === this.replayAttempt && this.now().name === 'replay';
    try {
      const document = await this.api.replay(match.id);
      if (!current()) return;
      this.replay = new ReplayRun(document, this.state.user?.id ?? null);
      this.go({ name: 'replay', match, load: 'ready' });
    } catch (error) {
      if (!current()) return;
      if (error instanceof ApiError && error.status === 404) this.go({ name: 'replay', match, load: 'missing' });
      else if (error instanceof ApiError) this.go({ name: 'replay', match, load: 'failed' }, this.failure(error));
      else this.go({ name: 'replay', match, load: 'failed' }, { text: ReplayTexts.unreadable, kind: 'error' });
    }
  }

  private closeReplay(): void {
    this.replayAttempt += 1;
    this.replay = null;
  }

  // --- queue -----------------------------------------------------------------------

  async enterQueue(mode: QueueMode): Promise<boolean> {
    if (this.state.screen.name !== 'menu') return false;
    if (this.state.stream.status !== 'up') {
      this.say(this.streamTrouble ? ConnectionTexts.cannotSearch : ConnectionTexts.notYetConnected, 'error', true);
      return false;
    }
    const attempt = ++this.queueAttempt;
    this.go({ name: 'queue', mode, since: Date.now(), entered: false, suspended: false });
    return this.joinQueue(mode, attempt);
  }

  /** `POST /api/play/<mode>/` for the search `attempt` (a newer attempt, a cancel or a lost stream make it stale). */
  private async joinQueue(mode: QueueMode, attempt: number): Promise<boolean> {
    const current = () => this.now().name === 'queue' && attempt === this.queueAttempt;
    const deadline = Date.now() + (this.options.sseSettleMs ?? 5000);
    for (;;) {
      try {
        await this.api.enterQueue(mode);
        const screen = this.now();
        if (screen.name === 'queue' && current()) this.update({ screen: { ...screen, entered: true } });
        return current();
      } catch (error) {
        // The server brings the user online just after the stream's first ping: a moment later it counts.
        if (error instanceof ApiError && error.code === 'sse_connection_required' && Date.now() < deadline && current() && this.state.stream.status === 'up') {
          await sleep(100);
          continue;
        }
        if (!current()) return false;
        if (error instanceof ApiError && error.status === 409 && this.lastGameStart) {
          this.notice('Resuming the game in progress.');
          this.startGame(this.lastGameStart.match, this.lastGameStart.path);
          return false;
        }
        if (isConnectionError(error) && this.state.stream.status !== 'up') {
          // The stream went down meanwhile: the search waits for it.
          this.suspendSearch();
          return false;
        }
        this.go({ name: 'menu' }, this.failure(error));
        return false;
      }
    }
  }

  /** No search without the live stream: stops waiting for the queue answer and says why. */
  private suspendSearch(): void {
    const screen = this.now();
    if (screen.name !== 'queue') return;
    this.queueAttempt += 1;
    this.update({
      screen: { ...screen, entered: false, suspended: true },
      status: { text: ConnectionTexts.searchSuspended, kind: 'error', connection: true },
    });
  }

  /** The stream is back: the same search again, from the start of the queue (the server dropped the old entry). */
  private resumeSearch(): void {
    const screen = this.now();
    if (screen.name !== 'queue' || !screen.suspended) return;
    const attempt = ++this.queueAttempt;
    this.update({
      screen: { ...screen, since: Date.now(), entered: false, suspended: false },
      status: { text: ConnectionTexts.searchResumed, kind: 'info' },
    });
    void this.joinQueue(screen.mode, attempt);
  }

  async cancelQueue(): Promise<void> {
    const screen = this.state.screen;
    if (screen.name !== 'queue') return;
    this.queueAttempt += 1;
    if (screen.suspended) {
      // The server dropped the entry with the stream; tell it anyway in case it has not noticed yet.
      void this.api.leaveQueue(screen.mode).catch(() => {});
      this.go({ name: 'menu' }, { text: ConnectionTexts.searchCancelled, kind: 'info', connection: true });
      return;
    }
    try {
      await this.api.leaveQueue(screen.mode);
      if (this.now().name === 'queue') this.go({ name: 'menu' }, { text: `Left the ${screen.mode} queue.`, kind: 'info' });
    } catch (error) {
      if (this.now().name === 'queue') this.go({ name: 'menu' }, this.failure(error));
    }
  }

  // --- game --------------------------------------------------------------------------

  private startGame(match: MatchInfo, path: string): void {
    const user = this.state.user;
    if (!user) return;
    this.closeGame();
    this.closeReplay();
    this.play.gameStarting();
    const session = new GameSession({
      baseUrl: this.api.baseUrl,
      path,
      token: () => this.api.freshAccess(),
      insecure: this.options.insecure,
      match,
      myId: user.id,
      now: this.options.gameNow,
      config: this.gameConfig,
      connectTimeoutMs: this.options.gameConnectTimeoutMs,
      onChange: () => this.onGameChange(session),
    });
    this.game = session;
    this.go({ name: 'game' });
    void session.connect();
  }

  private onGameChange(session: GameSession): void {
    if (session !== this.game) return;
    if (session.over && this.state.screen.name === 'game') {
      void this.social.gameOver(session.match);
      this.lastGameStart = null;
      this.go({ name: 'end' });
      return;
    }
    this.changed();
  }

  /** Arrow keys / W S: −1 up, +1 down, 0 stop. */
  setInput(direction: Direction): void {
    if (this.state.screen.name === 'game') this.game?.setInput(direction);
  }

  /** Leaves a running game (abandons it: the server gives the win to the other side after 10 s). */
  leaveGame(): void {
    if (this.state.screen.name !== 'game') return;
    const match = this.game?.match ?? null;
    this.closeGame();
    this.go({ name: 'menu' }, { text: 'You left the game.', kind: 'info' });
    this.play.afterGame(match);
  }

  private closeGame(): void {
    this.game?.close();
    this.game = null;
  }

  /** Ctrl+R: reconnect whatever is down (the live stream, the game socket). */
  retry(): void {
    if (this.stream && this.state.stream.status === 'down') this.stream.retryNow();
    if (this.state.screen.name === 'game' && this.game && this.game.connection === 'lost') void this.game.reconnect();
  }

  async shutdown(): Promise<void> {
    if (this.state.screen.name === 'queue') await this.api.leaveQueue(this.state.screen.mode).catch(() => {});
    this.closeGame();
    this.play.closeViews();
    this.social.reset();
    this.stream?.stop();
    this.stream = null;
    this.listeners.clear();
    await this.api.close();
  }

  // --- helpers -------------------------------------------------------------------------

  private describe(error: unknown): string {
    if (error instanceof ApiError) return error.message;
    return `Something went wrong in the client: ${(error as Error)?.message ?? String(error)}`;
  }

  /** Exposed for the screens: where requests go. */
  get baseUrl(): string {
    return this.api.baseUrl;
  }
}
