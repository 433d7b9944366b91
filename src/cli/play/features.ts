import type { Envelope } from '../../client/events.js';
import type { Lobby, Me, TournamentSearchItem } from '../../client/types.js';
import type { Direction, GameConfig } from '../../game/engine/index.js';
import { ApiError, type Api } from '../api.js';
import { GameSession, teamNames, type MatchInfo } from '../game-client.js';
import { HeldDirection } from '../input.js';
import { LocalMatch } from './local-game.js';
import { applyLobbyEvent, isCreator, meIn, membersOf, seatsPerTeam } from './lobby.js';
import { COMPUTER_LEVELS, PlayApi, type ComputerLevel, type LiveMatch, type LobbyMode, type LobbyTeam, type TournamentSize } from './play-api.js';
import { applyTournamentEvent, type TournamentView } from './tournament.js';

/**
 * The play half of the terminal client beyond the queues: lobbies (custom and
 * clash), tournaments (with computer players), spectating (by code, from the
 * live list, from a lobby's bench or a bracket), the game against the
 * computer and the local game. The `Controller` owns one `PlayFeatures` and
 * lends it what it needs through a `PlayHost`; the screens of
 * `screens/play-*.ts` draw `state` and call the actions. No terminal here.
 *
 *  menu ──g──▶ play ──n/x──▶ lobby ──all ready──▶ game ──▶ end ──Enter──▶ lobby
 *                 ├──j code──▶ lobby (the bench: lobby-spectate-game ──▶ spectate ──Esc──▶ lobby)
 *                 ├──t──▶ tournament (create, join by code, the bracket) ──game-start──▶ game ──▶ end ──▶ tournament
 *                 ├──a──▶ (POST /api/play/computer/) ──game-start──▶ game
 *                 ├──k──▶ local
 *                 └──w──▶ live ──Enter──▶ spectate ──Esc──▶ live
 */

export type PlayScreen =
  | { name: 'play' }
  | { name: 'lobby' }
  | { name: 'tournament' }
  | { name: 'live' }
  | { name: 'spectate' }
  | { name: 'local' };

export type PlayScreenName = PlayScreen['name'];

export const PLAY_SCREEN_NAMES: readonly PlayScreenName[] = ['play', 'lobby', 'tournament', 'live', 'spectate', 'local'];

/** A question on the screen (a code or a name to type). */
export interface Prompt {
  purpose: 'lobby-code' | 'tournament-code' | 'spectate-code' | 'tournament-name';
  text: string;
  /** The size of the tournament to create. */
  size: TournamentSize;
}

export interface LiveList {
  matches: LiveMatch[];
  count: number | null;
  next: string | null;
  loading: boolean;
  selected: number;
}

export interface SpectateInfo {
  code: string;
  /** Team a (on the right) and team b (on the left), by name, when known. */
  names: { a: string; b: string };
  mode: string | null;
  /** Where Esc goes back to. */
  from: 'live' | 'lobby' | 'tournament' | 'play';
}

export interface PlayState {
  /** The lobby the user is in, as last known (null: none). */
  lobby: Lobby | null;
  tournament: TournamentView | null;
  /** The open tournaments, on the tournament screen while the user is in none. */
  search: { items: TournamentSearchItem[]; loading: boolean; selected: number } | null;
  live: LiveList | null;
  spectate: SpectateInfo | null;
  prompt: Prompt | null;
  /** The level of the next game against the computer (and of the computer players seated in a tournament). */
  computerLevel: ComputerLevel;
  /** The play menu's selection. */
  menuIndex: number;
  /** The bracket card selected for spectating (index among the running games). */
  bracketIndex: number;
  /** A request is on its way (its sentence). */
  busy: string | null;
}

interface Status {
  text: string;
  kind: 'info' | 'error';
  connection?: boolean;
}

/** What the controller lends the play features. */
export interface PlayHost {
  api(): Api;
  user(): Me | null;
  streamUp(): boolean;
  screenName(): string;
  go(screen: PlayScreen | { name: 'menu' }, status?: Status | null): void;
  setStatus(status: Status | null): void;
  notice(text: string, kind?: 'info' | 'error' | 'event'): void;
  changed(): void;
  failure(error: unknown): Status;
  gameConfig(): GameConfig;
  token(): Promise<string>;
  baseUrl(): string;
  insecure?: boolean;
  gameNow?: () => number;
  gameConnectTimeoutMs?: number;
  sseSettleMs?: number;
  livePageSize?: number;
}

/** Sentences of the play screens (read by a person: no codes). */
export const PlayTexts = {
  badLobbyCode: 'A lobby code is 4 digits.',
  badTournamentCode: 'A tournament code is 4 digits.',
  badMatchCode: 'Type the code of the match to watch.',
  noLobby: 'You are not in a lobby any more.',
  noTournament: 'You are not in a tournament.',
  lobbyBanned: 'You have been removed from the lobby.',
  lobbyDestroyed: 'The lobby was closed: its creator left.',
  tournamentBanned: 'You have been removed from the tournament.',
  needStream: 'Still connecting to the server — try again in a moment.',
  guestsCannot: 'Guests cannot create lobbies or tournaments: register an account (or join one by its code).',
  nameNeeded: 'Give the tournament a name.',
} as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CODE = /^\d{4}$/;
const SIZES: readonly TournamentSize[] = [4, 8, 16];

/** The kind of what an invitation event invites to: `invite-tournament` → a tournament, the others → a lobby. */
export function invitationKind(eventCode: string): 'lobby' | 'tournament' | null {
  if (eventCode === 'invite-tournament') return 'tournament';
  if (eventCode === 'invite-1v1' || eventCode === 'invite-3v3' || eventCode === 'invite-clash') return 'lobby';
  return null;
}

export class PlayFeatures {
  state: PlayState = {
    lobby: null, tournament: null, search: null, live: null, spectate: null, prompt: null,
    computerLevel: 'medium', menuIndex: 0, bracketIndex: 0, busy: null,
  };
  readonly api: PlayApi;
  /** The match watched on the spectate screen. */
  spectator: GameSession | null = null;
  /** The local game, with each player's held keys (W/S on the left, arrows on the right). */
  local: LocalMatch | null = null;
  readonly localKeys = { left: new HeldDirection(150, 300), right: new HeldDirection(150, 300) };
  /** The `live_version` of the last live list fetched (docs/events.md, Activity). */
  private liveVersion: unknown = null;
  private liveAttempt = 0;

  constructor(private readonly host: PlayHost) {
    this.api = new PlayApi(() => host.api());
  }

  private update(change: Partial<PlayState>): void {
    this.state = { ...this.state, ...change };
    this.host.changed();
  }

  private say(text: string, kind: 'info' | 'error' = 'info'): void {
    this.host.setStatus({ text, kind });
  }

  private get myId(): number | undefined {
    return this.host.user()?.id;
  }

  /**
   * A play endpoint, retried while the server has not yet counted the live stream (it brings the
   * user online just after the stream's first ping), as the queue does.
   */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.host.sseSettleMs ?? 5000);
    for (;;) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'sse_connection_required' && Date.now() < deadline) {
          await sleep(100);
          continue;
        }
        throw error;
      }
    }
  }

  /** Runs an action with its busy sentence; a failure goes to the status line. Answers whether it worked. */
  private async act(busy: string, run: () => Promise<void>): Promise<boolean> {
    this.update({ busy });
    try {
      await this.call(run);
      return true;
    } catch (error) {
      this.host.setStatus(this.host.failure(error));
      return false;
    } finally {
      this.update({ busy: null });
    }
  }

  // --- the play menu ---------------------------------------------------------------------

  openMenu(): void {
    this.closeViews();
    this.update({ prompt: null });
    this.host.go({ name: 'play' });
  }

  selectMenu(index: number): void {
    this.update({ menuIndex: index });
  }

  /** ←/→ on the computer entry: the level of the next game against the computer. */
  cycleLevel(step: 1 | -1): void {
    const index = COMPUTER_LEVELS.indexOf(this.state.computerLevel);
    this.update({ computerLevel: COMPUTER_LEVELS[(index + step + COMPUTER_LEVELS.length) % COMPUTER_LEVELS.length] });
  }

  // --- prompts -------------------------------------------------------------------------------

  ask(purpose: Prompt['purpose']): void {
    this.update({ prompt: { purpose, text: '', size: this.state.prompt?.size ?? 4 } });
  }

  cancelPrompt(): void {
    this.update({ prompt: null });
  }

  typePrompt(text: string): void {
    const prompt = this.state.prompt;
    if (!prompt) return;
    const limit = prompt.purpose === 'tournament-name' ? 50 : 12;
    this.update({ prompt: { ...prompt, text: text.slice(0, limit) } });
  }

  cyclePromptSize(step: 1 | -1): void {
    const prompt = this.state.prompt;
    if (!prompt) return;
    const index = SIZES.indexOf(prompt.size);
    this.update({ prompt: { ...prompt, size: SIZES[(index + step + SIZES.length) % SIZES.length] } });
  }

  /** Enter in a prompt: joins, watches or creates. */
  async submitPrompt(): Promise<boolean> {
    const prompt = this.state.prompt;
    if (!prompt) return false;
    const text = prompt.text.trim();
    switch (prompt.purpose) {
      case 'lobby-code':
        if (!CODE.test(text)) return this.refuse(PlayTexts.badLobbyCode);
        this.update({ prompt: null });
        return this.joinByCode('lobby', text);
      case 'tournament-code':
        if (!CODE.test(text)) return this.refuse(PlayTexts.badTournamentCode);
        this.update({ prompt: null });
        return this.joinByCode('tournament', text);
      case 'spectate-code':
        if (!text) return this.refuse(PlayTexts.badMatchCode);
        this.update({ prompt: null });
        return this.spectateByCode(text);
      case 'tournament-name':
        if (!text) return this.refuse(PlayTexts.nameNeeded);
        this.update({ prompt: null });
        return this.createTournament(text, prompt.size);
      default:
        return false;
    }
  }

  private refuse(text: string): false {
    this.say(text, 'error');
    return false;
  }

  // --- joining by code (the invitations' way in) -------------------------------------------

  /**
   * Joins the lobby or the tournament with this code (typed, or from an invitation) and opens its
   * screen. Already a member: opens it. Answers whether the user is in it.
   */
  async joinByCode(kind: 'lobby' | 'tournament', rawCode: string): Promise<boolean> {
    const code = String(rawCode).trim();
    if (!this.host.user()) return false;
    if (!CODE.test(code)) return this.refuse(kind === 'lobby' ? PlayTexts.badLobbyCode : PlayTexts.badTournamentCode);
    if (!this.host.streamUp()) return this.refuse(PlayTexts.needStream);
    return kind === 'lobby' ? this.joinLobby(code) : this.joinTournament(code);
  }

  private async joinLobby(code: string): Promise<boolean> {
    let lobby: Lobby | null = null;
    const ok = await this.act(`Joining lobby ${code}…`, async () => {
      try {
        await this.api.joinLobby(code);
      } catch (error) {
        // Already in it (a second invitation, a typed code of one's own lobby): open it.
        if (!(error instanceof ApiError && error.status === 409)) throw error;
      }
      lobby = await this.api.myLobby();
    });
    if (!ok || !lobby) return false;
    this.closeViews();
    this.update({ lobby, prompt: null });
    this.host.go({ name: 'lobby' }, { text: `You joined lobby ${code}.`, kind: 'info' });
    return true;
  }

  private async joinTournament(code: string): Promise<boolean> {
    let view: TournamentView | null = null;
    const ok = await this.act(`Joining tournament ${code}…`, async () => {
      try {
        await this.api.joinTournament(code);
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
      }
      view = { tournament: await this.api.myTournament(), spectatable: {}, finished: null };
    });
    if (!ok || !view) return false;
    this.closeViews();
    this.update({ tournament: view, prompt: null, bracketIndex: 0 });
    this.host.go({ name: 'tournament' }, { text: `You joined the tournament ${(view as TournamentView).tournament.name}.`, kind: 'info' });
    return true;
  }

  // --- lobbies -----------------------------------------------------------------------------

  /** Creates a custom game (1v1 first; the creator may switch to 3v3) or a clash lobby, and opens it. */
  async createLobby(mode: LobbyMode): Promise<boolean> {
    if (this.host.user()?.is_guest) return this.refuse(PlayTexts.guestsCannot);
    if (!this.host.streamUp()) return this.refuse(PlayTexts.needStream);
    let lobby: Lobby | null = null;
    const ok = await this.act('Creating the lobby…', async () => {
      lobby = await this.api.createLobby(mode);
    });
    if (!ok || !lobby) return false;
    this.closeViews();
    this.update({ lobby });
    this.host.go({ name: 'lobby' }, { text: `Lobby ${(lobby as Lobby).code} created: share its code.`, kind: 'info' });
    return true;
  }

  /** The lobby screen, with the lobby read again (readiness is reset by each game). */
  async openLobby(): Promise<boolean> {
    this.closeViews();
    if (this.state.lobby) this.host.go({ name: 'lobby' });
    try {
      const lobby = await this.call(() => this.api.myLobby());
      this.update({ lobby });
      if (this.host.screenName() !== 'lobby') this.host.go({ name: 'lobby' });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.update({ lobby: null });
        if (this.host.screenName() === 'lobby' || !this.state.lobby) this.host.go({ name: 'play' }, { text: PlayTexts.noLobby, kind: 'info' });
        return false;
      }
      this.host.setStatus(this.host.failure(error));
      return false;
    }
  }

  async toggleReady(): Promise<void> {
    const lobby = this.state.lobby;
    const me = lobby && meIn(lobby, this.myId);
    if (!lobby || !me) return;
    if (lobby.game_mode === 'custom_game' && membersOf(lobby, 'spectator').some((m) => m.id === me.id)) {
      this.say('On the bench you watch: take a seat in team A or B (a / b) to play.', 'error');
      return;
    }
    await this.patchMe(lobby.code, { is_ready: !me.is_ready });
  }

  async moveTo(team: LobbyTeam): Promise<void> {
    const lobby = this.state.lobby;
    if (!lobby) return;
    if (lobby.game_mode === 'clash') {
      this.say('A clash lobby is one team: there are no seats to choose.', 'error');
      return;
    }
    await this.patchMe(lobby.code, { team });
  }

  private async patchMe(code: string, change: { is_ready?: boolean; team?: LobbyTeam }): Promise<void> {
    let member: Awaited<ReturnType<PlayApi['updateMembership']>> | null = null;
    const ok = await this.act('Updating…', async () => {
      member = await this.api.updateMembership(code, change);
    });
    const lobby = this.state.lobby;
    if (!ok || !lobby || lobby.code !== code) return;
    const id = this.myId;
    const written = (member ?? {}) as Partial<Lobby['participants'][number]>;
    this.update({ lobby: { ...lobby, participants: lobby.participants.map((p) => (p.id === id ? { ...p, ...change, ...written } : p)) } });
    this.host.setStatus(null);
  }

  /** The creator switches a custom game between 1v1 and 3v3. */
  async toggleMatchType(): Promise<void> {
    const lobby = this.state.lobby;
    if (!lobby) return;
    if (!this.creatorCheck(lobby)) return;
    await this.patchLobby({ match_type: lobby.match_type === '1v1' ? '3v3' : '1v1' });
  }

  /** The creator lets computer players take the free seats (or not). */
  async toggleBots(): Promise<void> {
    const lobby = this.state.lobby;
    if (!lobby) return;
    if (!this.creatorCheck(lobby)) return;
    await this.patchLobby({ bot: !lobby.bot });
  }

  /**
   * The creator's "start": computer players take the free seats and he is ready, so the game
   * begins as soon as every player in a team is ready (the server starts a custom game by itself then).
   */
  async startLobby(): Promise<void> {
    const lobby = this.state.lobby;
    if (!lobby) return;
    if (!this.creatorCheck(lobby)) return;
    const me = meIn(lobby, this.myId);
    const players = membersOf(lobby, 'a').length + membersOf(lobby, 'b').length;
    if (!me || membersOf(lobby, 'spectator').some((m) => m.id === me.id)) {
      this.say('Take a seat in team A or B first (a / b).', 'error');
      return;
    }
    if (players < 2 * seatsPerTeam(lobby) && !lobby.bot) await this.patchLobby({ bot: true });
    const fresh = this.state.lobby;
    if (fresh && !meIn(fresh, this.myId)?.is_ready) await this.patchMe(fresh.code, { is_ready: true });
    const after = this.state.lobby;
    if (after && !after.game_playing) {
      const waiting = [...membersOf(after, 'a'), ...membersOf(after, 'b')].filter((p) => !p.is_ready).map((p) => p.username);
      if (waiting.length > 0) this.say(`Starting once ${waiting.join(', ')} ${waiting.length === 1 ? 'is' : 'are'} ready.`);
    }
  }

  private creatorCheck(lobby: Lobby): boolean {
    if (lobby.game_mode === 'clash') {
      this.say('A clash lobby has no settings: everyone ready enters the clash pool.', 'error');
      return false;
    }
    if (!isCreator(lobby, this.myId)) {
      this.say('Only the creator of the lobby changes its settings and starts it.', 'error');
      return false;
    }
    return true;
  }

  private async patchLobby(change: { match_type?: '1v1' | '3v3'; bot?: boolean }): Promise<void> {
    let answer: Lobby | null = null;
    const ok = await this.act('Updating the lobby…', async () => {
      answer = await this.api.updateLobby(change);
    });
    if (!ok) return;
    this.update({ lobby: answer ?? (this.state.lobby ? { ...this.state.lobby, ...change } : null) });
    this.host.setStatus(null);
  }

  async leaveLobby(): Promise<void> {
    const lobby = this.state.lobby;
    if (!lobby) return;
    const ok = await this.act('Leaving the lobby…', () => this.api.leaveLobby(lobby.code));
    if (!ok) {
      // Already gone on the server's side: nothing to leave.
      try {
        await this.api.myLobby();
        return;
      } catch { /* not in it */ }
    }
    this.update({ lobby: null });
    this.host.go({ name: 'play' }, { text: `You left lobby ${lobby.code}.`, kind: 'info' });
  }

  // --- tournaments --------------------------------------------------------------------------

  /** The tournament screen: the user's tournament (read again), or the open ones to join. */
  async openTournaments(): Promise<void> {
    this.closeViews();
    const known = this.state.tournament;
    this.host.go({ name: 'tournament' });
    try {
      const tournament = await this.call(() => this.api.myTournament());
      const view: TournamentView = known && known.tournament.id === tournament.id ? { ...known, tournament } : { tournament, spectatable: {}, finished: null };
      this.update({ tournament: view });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        // A finished tournament stays on screen until the user leaves it; otherwise: the open ones.
        if (known?.finished) return;
        this.update({ tournament: null });
        await this.searchTournaments();
        return;
      }
      this.host.setStatus(this.host.failure(error));
    }
  }

  /** The user's tournament read again (the events stay applied on top of it: the newest answer wins). */
  private async reloadTournament(): Promise<void> {
    try {
      const tournament = await this.api.myTournament();
      const view = this.state.tournament;
      if (view && view.tournament.id === tournament.id && !view.finished) this.update({ tournament: { ...view, tournament } });
    } catch { /* the events keep it up to date meanwhile */ }
  }

  async searchTournaments(): Promise<void> {
    this.update({ search: { items: this.state.search?.items ?? [], loading: true, selected: this.state.search?.selected ?? 0 } });
    try {
      const items = await this.call(() => this.api.searchTournaments(''));
      this.update({ search: { items, loading: false, selected: Math.min(this.state.search?.selected ?? 0, Math.max(0, items.length - 1)) } });
    } catch (error) {
      this.update({ search: { items: [], loading: false, selected: 0 } });
      this.host.setStatus(this.host.failure(error));
    }
  }

  selectSearch(index: number): void {
    const search = this.state.search;
    if (!search || search.items.length === 0) return;
    this.update({ search: { ...search, selected: Math.max(0, Math.min(search.items.length - 1, index)) } });
  }

  async joinSelectedTournament(): Promise<boolean> {
    const item = this.state.search?.items[this.state.search.selected];
    return item ? this.joinByCode('tournament', item.code) : false;
  }

  async createTournament(name: string, size: TournamentSize): Promise<boolean> {
    if (this.host.user()?.is_guest) return this.refuse(PlayTexts.guestsCannot);
    if (!this.host.streamUp()) return this.refuse(PlayTexts.needStream);
    let view: TournamentView | null = null;
    const ok = await this.act('Creating the tournament…', async () => {
      view = { tournament: await this.api.createTournament(name, size), spectatable: {}, finished: null };
    });
    if (!ok || !view) return false;
    this.closeViews();
    this.update({ tournament: view, bracketIndex: 0 });
    this.host.go({ name: 'tournament' }, { text: `Tournament ${name} created: code ${(view as TournamentView).tournament.code}.`, kind: 'info' });
    return true;
  }

  /** The creator seats computer players (at the chosen level) in `count` empty seats; all of them by default. */
  async addTournamentBots(count?: number): Promise<boolean> {
    const view = this.state.tournament;
    if (!view) return false;
    const { tournament } = view;
    const free = tournament.size - (tournament.participants ?? []).length;
    if (tournament.created_by !== this.myId) return this.refuse('Only the creator of the tournament seats computer players.');
    if (tournament.is_started) return this.refuse('The tournament has started: no more seats.');
    if (free <= 0) return this.refuse('The tournament is full.');
    const level = this.state.computerLevel;
    const seats = Math.max(1, Math.min(free, count ?? 1));
    let answer: typeof tournament | null = null;
    const ok = await this.act('Seating computer players…', async () => {
      answer = await this.api.addTournamentBots(tournament.code, seats, level);
    });
    if (!ok || !answer) return false;
    const current = this.state.tournament;
    // The events of the seats (and maybe the start) may have come first: the newest wins.
    if (current && !current.tournament.is_started) this.update({ tournament: { ...current, tournament: answer } });
    this.say(`${seats} computer player${seats === 1 ? '' : 's'} (${level}) seated.`);
    return true;
  }

  /** The creator takes back the last computer player seated. */
  async removeTournamentBot(): Promise<boolean> {
    const view = this.state.tournament;
    if (!view) return false;
    const computer = [...(view.tournament.participants ?? [])].reverse().find((p) => p.computer);
    if (!computer) return this.refuse('No computer player to take back.');
    const ok = await this.act('Taking a computer player back…', () => this.api.removeTournamentBot(view.tournament.code, computer.id));
    if (!ok) return false;
    const current = this.state.tournament;
    if (current) this.update({ tournament: { ...current, tournament: { ...current.tournament, participants: (current.tournament.participants ?? []).filter((p) => p.id !== computer.id) } } });
    return true;
  }

  /** Leaves the tournament (after the start: eliminated), or forgets a finished one. */
  async leaveTournament(): Promise<void> {
    const view = this.state.tournament;
    if (!view) return;
    if (!view.finished) {
      const ok = await this.act('Leaving the tournament…', () => this.api.leaveTournament(view.tournament.code));
      if (!ok) return;
    }
    this.update({ tournament: null, bracketIndex: 0 });
    this.host.go({ name: 'play' }, view.finished ? null : { text: `You left the tournament ${view.tournament.name}.`, kind: 'info' });
  }

  selectBracket(index: number): void {
    this.update({ bracketIndex: Math.max(0, index) });
  }

  // --- spectating ------------------------------------------------------------------------------

  /** Watches a match by its code: the names come from the live list when it is there. */
  async spectateByCode(code: string, from: SpectateInfo['from'] = 'play'): Promise<boolean> {
    let entry: LiveMatch | undefined = this.state.live?.matches.find((m) => m.code === code);
    if (!entry) {
      try {
        entry = (await this.api.liveMatches(100)).results.find((m) => m.code === code);
      } catch { /* the names stay generic */ }
    }
    return this.spectate(code, from, entry ?? null);
  }

  /** Opens the spectate screen on match `code` (`entry`: its live list entry, for the names and ids). */
  spectate(code: string, from: SpectateInfo['from'], entry: LiveMatch | null): boolean {
    const user = this.host.user();
    if (!user) return false;
    this.closeViews();
    const players = (team: 'a' | 'b') => (entry?.teams[team] ?? []).map((p) => ({ id: p.id, username: p.username, computer: p.computer ?? null }));
    const match: MatchInfo = {
      id: 0, code, game_mode: entry?.game_mode ?? '', match_type: entry?.match_type ?? '',
      teams: { a: { players: players('a') }, b: { players: players('b') } },
    };
    const session = new GameSession({
      baseUrl: this.host.baseUrl(),
      token: () => this.host.token(),
      insecure: this.host.insecure,
      match,
      myId: user.id,
      spectate: true,
      now: this.host.gameNow,
      config: this.host.gameConfig(),
      connectTimeoutMs: this.host.gameConnectTimeoutMs,
      onChange: () => { if (session === this.spectator) this.host.changed(); },
    });
    this.spectator = session;
    const names = { a: entry ? teamNames(entry.teams.a) : 'Team A', b: entry ? teamNames(entry.teams.b) : 'Team B' };
    this.update({ spectate: { code, names, mode: entry?.game_mode ?? null, from } });
    this.host.go({ name: 'spectate' });
    void session.connect();
    return true;
  }

  /** Esc on the spectate screen: back where the user came from. */
  leaveSpectate(): void {
    const from = this.state.spectate?.from ?? 'play';
    this.closeSpectator();
    this.update({ spectate: null });
    if (from === 'live') void this.openLive();
    else if (from === 'lobby') void this.openLobby();
    else if (from === 'tournament') void this.openTournaments();
    else this.host.go({ name: 'play' });
  }

  /** Reconnects the spectator after a lost connection. */
  retrySpectate(): void {
    if (this.spectator?.connection === 'lost') void this.spectator.reconnect();
  }

  // --- the live list ----------------------------------------------------------------------

  async openLive(): Promise<void> {
    this.closeViews();
    this.update({ live: { matches: this.state.live?.matches ?? [], count: this.state.live?.count ?? null, next: null, loading: true, selected: this.state.live?.selected ?? 0 } });
    this.host.go({ name: 'live' });
    await this.refreshLive();
  }

  /** The first page again (the selection stays on the same match when it is still live). */
  async refreshLive(): Promise<void> {
    const attempt = ++this.liveAttempt;
    const selectedCode = this.state.live?.matches[this.state.live.selected]?.code;
    try {
      const page = await this.api.liveMatches(this.host.livePageSize ?? 20);
      if (attempt !== this.liveAttempt) return;
      const index = Math.max(0, page.results.findIndex((m) => m.code === selectedCode));
      this.update({ live: { matches: page.results, count: page.count, next: page.next, loading: false, selected: Math.min(index, Math.max(0, page.results.length - 1)) } });
    } catch (error) {
      if (attempt !== this.liveAttempt) return;
      const live = this.state.live;
      if (live) this.update({ live: { ...live, loading: false } });
      if (this.host.screenName() === 'live') this.host.setStatus(this.host.failure(error));
    }
  }

  /** Selects a live match; near the end of what is loaded, the next page comes. */
  selectLive(index: number): void {
    const live = this.state.live;
    if (!live || live.matches.length === 0) return;
    const selected = Math.max(0, Math.min(live.matches.length - 1, Math.floor(index)));
    this.update({ live: { ...live, selected } });
    if (selected >= live.matches.length - 3 && live.next && !live.loading) void this.moreLive();
  }

  private async moreLive(): Promise<void> {
    const live = this.state.live;
    if (!live?.next) return;
    const attempt = this.liveAttempt;
    this.update({ live: { ...live, loading: true } });
    try {
      const page = await this.api.page<LiveMatch>(live.next);
      const now = this.state.live;
      if (attempt !== this.liveAttempt || !now) return;
      const known = new Set(now.matches.map((m) => m.code));
      this.update({ live: { ...now, matches: [...now.matches, ...page.results.filter((m) => !known.has(m.code))], count: page.count, next: page.next, loading: false } });
    } catch {
      const now = this.state.live;
      if (now) this.update({ live: { ...now, loading: false } });
    }
  }

  spectateSelected(): boolean {
    const live = this.state.live;
    const entry = live?.matches[live.selected];
    return entry ? this.spectate(entry.code, 'live', entry) : false;
  }

  // --- the computer, the local game --------------------------------------------------------------

  /** `POST /api/play/computer/` at the chosen level: the game comes with `game-start`. */
  async playComputer(level: ComputerLevel = this.state.computerLevel): Promise<boolean> {
    if (!this.host.streamUp()) return this.refuse(PlayTexts.needStream);
    this.update({ computerLevel: level });
    const ok = await this.act(`Starting a game against the computer (${level})…`, async () => {
      await this.api.playComputer(level);
    });
    if (ok && PLAY_SCREEN_NAMES.includes(this.host.screenName() as PlayScreenName)) this.say(`The computer (${level}) is on its way…`);
    return ok;
  }

  startLocal(now = Date.now()): void {
    this.closeViews();
    this.local = new LocalMatch(now, this.host.gameConfig());
    this.localKeys.left.stop();
    this.localKeys.right.stop();
    this.host.go({ name: 'local' });
  }

  /** The held keys of both players, applied to the local game (each frame). */
  localInput(now: number): void {
    if (!this.local) return;
    this.local.setKeys('left', this.localKeys.left.direction(now) as Direction);
    this.local.setKeys('right', this.localKeys.right.direction(now) as Direction);
  }

  leaveLocal(): void {
    this.local = null;
    this.host.go({ name: 'play' });
  }

  // --- back, and the controller's hooks ----------------------------------------------------------

  /** Esc on a play screen. */
  back(): void {
    const name = this.host.screenName();
    if (this.state.prompt) return this.cancelPrompt();
    if (name === 'spectate') return this.leaveSpectate();
    if (name === 'local') return this.leaveLocal();
    if (name === 'play') return this.host.go({ name: 'menu' });
    if (name === 'tournament' && this.state.tournament?.finished) {
      this.update({ tournament: null });
      return this.host.go({ name: 'play' });
    }
    if (name === 'lobby' || name === 'tournament' || name === 'live') this.host.go({ name: 'play' });
  }

  /**
   * Where a game ends up (its end screen's Enter, leaving it): the tournament or the lobby it was
   * played for, read again; false when it was neither (the controller goes to the menu).
   */
  afterGame(match: { game_mode?: string; tournament_id?: number | null } | null): boolean {
    const back = this.returnLabel(match);
    if (back === 'back to the bracket') void this.openTournaments();
    else if (back === 'back to the lobby') void this.openLobby();
    return back !== 'main menu';
  }

  /** Where the end screen's Enter goes, in words: `back to the lobby`, `back to the bracket`, `main menu`. */
  returnLabel(match: { game_mode?: string; tournament_id?: number | null } | null): string {
    const mode = match?.game_mode;
    if (this.state.tournament && (mode === 'tournament' || match?.tournament_id)) return 'back to the bracket';
    if (this.state.lobby && (mode === 'custom_game' || mode === 'clash')) return 'back to the lobby';
    return 'main menu';
  }

  /** A game of the user's starts: the spectator and the local game give way. */
  gameStarting(): void {
    this.closeViews();
    this.update({ prompt: null });
  }

  /**
   * The lobby, tournament and activity events. Answers true when the event was taken care of
   * (its notice included), false to let the controller do as usual.
   */
  onEvent(event: string, envelope: Envelope): boolean {
    if (event === 'activity-update') {
      const version = (envelope.data as { live_version?: unknown } | null)?.live_version;
      if (version !== undefined && version !== this.liveVersion) {
        this.liveVersion = version;
        if (this.host.screenName() === 'live') void this.refreshLive();
        // The bracket's games being played show their score so far (GET only): read it again.
        if (this.host.screenName() === 'tournament' && this.state.tournament?.tournament.is_started) void this.reloadTournament();
      }
      return false;
    }
    if (event.startsWith('lobby-')) {
      this.onLobbyEvent(event, envelope);
      return true;
    }
    if (event.startsWith('tournament-')) {
      this.onTournamentEvent(event, envelope);
      return true;
    }
    return false;
  }

  private onLobbyEvent(event: string, envelope: Envelope): void {
    if (envelope.message) this.host.notice(envelope.message);
    const lobby = this.state.lobby;
    if (!lobby) return;
    const change = applyLobbyEvent(lobby, event, envelope.data);
    if (change.kind === 'gone') {
      this.update({ lobby: null });
      const text = change.reason === 'banned' ? PlayTexts.lobbyBanned : PlayTexts.lobbyDestroyed;
      this.host.notice(text, 'error');
      if (this.host.screenName() === 'lobby') this.host.go({ name: 'play' }, { text, kind: 'error' });
      return;
    }
    this.update({ lobby: change.lobby });
    // The bench watches the lobby's game (as the web client does).
    if (change.kind === 'spectate' && this.host.screenName() === 'lobby') this.spectate(change.code, 'lobby', null);
  }

  private onTournamentEvent(event: string, envelope: Envelope): void {
    if (envelope.message) this.host.notice(envelope.message, event === 'tournament-finish' ? 'info' : 'event');
    const view = this.state.tournament;
    if (!view) return;
    const change = applyTournamentEvent(view, event, envelope.data, envelope.kwargs as Record<string, unknown> | null, envelope.message ?? undefined);
    if (change.kind === 'gone') {
      this.update({ tournament: null });
      this.host.notice(PlayTexts.tournamentBanned, 'error');
      if (this.host.screenName() === 'tournament') this.host.go({ name: 'play' }, { text: PlayTexts.tournamentBanned, kind: 'error' });
      return;
    }
    this.update({ tournament: change.view });
    const finished = change.view.finished;
    if (event === 'tournament-finish' && finished && this.host.screenName() === 'tournament') {
      this.say(finished.winnerId === this.myId ? 'You won the tournament!' : `The tournament is over: ${finished.winner} won it.`);
    }
    if (event === 'tournament-available-spectate-matches') {
      // The new round's games, with their codes, are in the bracket as the server has it now.
      void this.reloadTournament();
      if (this.host.screenName() === 'tournament') this.say('A new round is on: select a game (↑↓) and press Enter to watch it.');
    }
  }

  /** Logging out: everything of the session goes. */
  reset(): void {
    this.closeViews();
    this.liveAttempt += 1;
    this.liveVersion = null;
    this.state = {
      lobby: null, tournament: null, search: null, live: null, spectate: null, prompt: null,
      computerLevel: this.state.computerLevel, menuIndex: 0, bracketIndex: 0, busy: null,
    };
  }

  /** Stops the spectator and the local game. */
  closeViews(): void {
    this.closeSpectator();
    this.local = null;
  }

  private closeSpectator(): void {
    this.spectator?.close();
    this.spectator = null;
  }
}
