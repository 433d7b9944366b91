import type { Clock, TimerHandle } from '../../platform/clock.js';
import {
  createGame, findPaddle, interruptPoint, layoutForMatchType, seededRandom, serveNextPoint, startPoint,
  type MatchType, type PaddleCommand, type RandomSource, type Team, type Viewer,
} from '../engine/index.js';
import { applyCommandInPlace, newTickOutcome, tickInPlace, toLive, type LiveGameState } from '../engine/live.js';
import { decodeClientCompact, type WireEncoding } from '../compact.js';
import { paddleColumnLines } from '../reckoning.js';
import { CloseCodes, decodeClientFrame, ErrorTexts, type ClientFrame, type Decoded, type ServerMessages } from '../protocol.js';
import { Connection, RoomMembers, type BallView, type RoomSocket, type Seat } from './members.js';
import { drawSeed, RoomRecording, type ReplaySink } from './recording.js';
import { TickScheduler, type ScheduledRun } from './tick-scheduler.js';
import { ballView, canvasOf, gameStateJson, racketsFor, scoreOf, sendCatchUp } from './views.js';

/** The longest a command's messages to compact connections wait for the next tick's write: one tick at 60 Hz. */
export const ECHO_WAIT_MAX_MS = 1000 / 60 + 1;

/**
 * The game's timings, and the reconnection grace: a player whose
 * connection drops mid-game has 10 s to come back (the game is paused
 * meanwhile), after which his team forfeits (`player-disconnect`, 0–3).
 */
export const RoomTimings = {
  connectTimeoutMs: 5000,
  countdownMs: 2000,
  reconnectGraceMs: 10_000,
  closeDelayMs: 500,
  /** `game_over` waits this long at most for the replay to be stored. */
  replayWaitMs: 2000,
} as const;

/** Every key but `match_id`, which only a recorded end carries. */
type GameOver = Required<Omit<ServerMessages['game_over'], 'match_id'>> & Pick<ServerMessages['game_over'], 'match_id'>;
type ForfeitReason = 'player-disconnect' | 'player-not-connected';

/** What a room needs to know about its match. */
export interface RoomMatch {
  id: number;
  code: string;
  matchType: MatchType;
  /** Team a then team b, list order inside each team. */
  players: ReadonlyArray<{ userId: number; team: Team; position: number }>;
  /** The recorded score, when a room is rebuilt for a match already scored in. */
  score?: Record<Team, number>;
  /** The match was claimed before this room existed (a takeover): its replay starts here (docs/replays.md). */
  resumed?: boolean;
}

/** What a room reports to the matches service; results come back through `goalRecorded` / `matchFinished`. */
export interface Referee {
  scoreGoal(userId: number, ownGoal: boolean): Promise<unknown>;
  forfeit(matchId: number, userId: number, reason: ForfeitReason): Promise<unknown>;
}

/** The result of a match as the service recorded it. */
export interface RecordedScore {
  score: Record<Team, number>;
  finishReason?: string | null;
  winner?: Team | null;
  /** The user whose absence ended the match (forfeits). */
  forfeitedBy?: number | null;
}

export interface RoomDeps {
  clock: Clock;
  referee: Referee;
  /** Draws the room's seed; every serve comes from `seededRandom(seed)`, so that a replay draws them again. */
  random: RandomSource;
  /** Where the replay goes when the match is over; without one nothing is recorded (REPLAYS=off). */
  replays?: ReplaySink;
  /** How late each tick ran, in ms (metrics). */
  observeTick?: (latenessMs: number) => void;
  /** The process's shared tick scheduler (the registry's); a room alone gets one of its own. */
  ticks?: TickScheduler;
  onDisposed(room: Room): void;
}

/**
 * `waiting`: until every seat is taken (5 s at most from the first player's
 * connection); `countdown`: 2 s before a point; `playing`: the ball is live;
 * `scoring`: a goal is being recorded; `paused`: a seat emptied after the
 * start (no tick runs, nothing moves) until every player is back, then a
 * countdown; `over`: `game_over` was sent, the sockets close 0.5 s later.
 */
export type RoomPhase = 'waiting' | 'countdown' | 'playing' | 'scoring' | 'paused' | 'over';

export interface RoomOptions {
  /**
   * Created for a spectator who came before any player: the 5 s connection
   * deadline starts at the first player's connection, as if he had created
   * the room.
   */
  awaitFirstPlayer?: boolean;
}

/**
 * One live match (docs/game-protocol.md, A match, step by step): create, join, leave, dispose. The
 * simulation is the pure engine; this class owns the timers (all on the
 * injected clock), the sockets and the broadcasts.
 */
export class Room {
  readonly matchId: number;
  readonly code: string;
  /** The room's own copy of the match, stepped in place by its ticks. */
  private state: LiveGameState;
  private phase: RoomPhase = 'waiting';
  private readonly members: RoomMembers;
  private timer: TimerHandle | null = null;
  /** The room's tick, moved from one planned instant to the next. */
  private readonly tickRun: ScheduledRun;
  private readonly outcome = newTickOutcome();
  private nextTickAt = 0;
  private disposed = false;
  private connectDeadlineArmed = false;
  /** The player whose forfeit is being recorded (nothing resumes meanwhile). */
  private forfeiting: number | null = null;
  private readonly ticks: TickScheduler;
  private readonly random: RandomSource;
  private readonly recording: RoomRecording | null = null;
  private readonly viewBall = (viewer: Viewer, out: BallView): void => ballView(this.state, viewer, out);
  private readonly ballJson = (viewer: Viewer): string => gameStateJson(this.state, viewer);
  /** Read on every tick: own fields, so that the tick never looks them up in `deps` (whose shape varies by caller). */
  private readonly clock: Clock;
  private readonly observeTick: ((latenessMs: number) => void) | null;

  constructor(match: RoomMatch, private readonly deps: RoomDeps, options: RoomOptions = {}) {
    this.clock = deps.clock;
    this.observeTick = deps.observeTick ?? null;
    this.ticks = deps.ticks ?? new TickScheduler(deps.clock);
    this.tickRun = this.ticks.run(() => this.onTick());
    this.matchId = match.id;
    this.code = match.code;
    this.members = new RoomMembers(
      match.players.map((p) => ({ userId: p.userId, team: p.team, index: p.position })),
      paddleColumnLines(layoutForMatchType(match.matchType)),
    );
    const seed = drawSeed(deps.random);
    this.random = seededRandom(seed);
    const fresh = createGame({ layout: layoutForMatchType(match.matchType), random: this.random });
    this.state = toLive(match.score ? { ...fresh, score: { ...match.score } } : fresh);
    if (deps.replays) this.recording = new RoomRecording(this.members.seats, { state: this.state, seed, takeover: match.resumed === true }, deps.clock);
    if (!options.awaitFirstPlayer) this.armConnectDeadline();
  }

  get currentPhase(): RoomPhase {
    return this.phase;
  }

  get isOver(): boolean {
    return this.phase === 'over';
  }

  hasPlayer(userId: number): boolean {
    return !!this.members.seatOf(userId);
  }

  /**
   * A player's connection takes his seat, replacing any older one (the
   * 1v1 rule, for every game). Back from an absence, the others hear
   * `player_reconnected`; with every seat taken again, a paused game resumes.
   */
  joinPlayer(userId: number, socket: RoomSocket, encoding: WireEncoding = 'json'): Connection {
    return this.act(() => {
      const seat = this.members.seatOf(userId);
      if (!seat) throw new Error(`user ${userId} has no seat in match ${this.matchId}`);
      const connection = this.members.connect(socket, false, encoding);
      const away = !seat.connection && seat.graceTimer !== null;
      const replaced = this.members.bind(seat, connection);
      replaced?.close(CloseCodes.replaced, ErrorTexts.replaced);
      this.cancelGrace(seat);
      if (this.phase === 'waiting') {
        this.armConnectDeadline();
        if (!this.members.firstEmptySeat()) this.startSequence();
        return connection;
      }
      if (away) {
        this.members.broadcast('player_reconnected', { player: seat.userId }, connection);
        this.recording?.reconnected(seat);
      }
      sendCatchUp(this.state, this.members, connection, this.phase === 'playing', this.absences());
      if (this.phase === 'paused' && this.forfeiting === null && !this.members.firstEmptySeat()) this.resume();
      return connection;
    });
  }

  /** Anyone who knows the code may watch (3v3 too). */
  joinSpectator(socket: RoomSocket, encoding: WireEncoding = 'json'): Connection {
    return this.act(() => {
      const connection = this.members.connect(socket, true, encoding);
      this.members.addSpectator(connection);
      sendCatchUp(this.state, this.members, connection, this.phase === 'playing', this.absences());
      return connection;
    });
  }

  /**
   * A connection closed. A player's paddle stops; after the start sequence
   * he has 10 s to come back, the others are told at once
   * (`player_disconnected`) and the ball stops until every seat is taken
   * again. Before the start (waiting) nothing else happens.
   */
  leave(connection: Connection): void {
    this.act(() => {
      const seat = this.members.release(connection);
      if (!seat) {
        // A room opened by a spectator that no player ever joined lives only as long as its spectators.
        if (connection.spectator && !this.connectDeadlineArmed && this.phase === 'waiting' && this.members.all().length === 0) this.dispose();
        return;
      }
      if (this.phase === 'over') return;
      this.command(seat, { type: 'stop_moving' });
      if (this.phase === 'waiting') return;
      seat.awayUntil = this.deps.clock.now() + RoomTimings.reconnectGraceMs;
      seat.graceTimer = this.deps.clock.setTimeout(() => this.forfeit(seat, 'player-disconnect'), RoomTimings.reconnectGraceMs);
      this.recording?.disconnected(seat);
      this.members.broadcast('player_disconnected', { player: seat.userId, seconds: this.secondsLeft(seat) });
      // While a goal is being recorded nothing moves anyway: the serve that follows it waits (goalRecorded).
      if (this.phase === 'countdown' || this.phase === 'playing') this.pause();
    });
  }

  /** One text frame from a connection. Only seated players steer; bad frames only earn their sender an `error`. */
  receive(connection: Connection, text: string): void {
    this.steering(() => {
      if (!connection.seat || this.phase === 'over') return;
      this.steer(connection, decodeClientFrame(text));
    });
  }

  /** One binary frame: a compact command (docs/game-protocol.md, The compact encoding), from a compact connection only. */
  receiveBinary(connection: Connection, bytes: Uint8Array): void {
    this.steering(() => {
      if (!connection.seat || this.phase === 'over') return;
      this.steer(connection, connection.encoding === 'compact' ? decodeClientCompact(bytes) : { ok: false, error: ErrorTexts.malformed });
    });
  }

  private steer(connection: Connection, decoded: Decoded<ClientFrame>): void {
    const seat = connection.seat!;
    if (!decoded.ok) {
      connection.send('error', { message: decoded.error });
      return;
    }
    const { frame } = decoded;
    if (frame.event === 'stop_moving') this.command(seat, { type: 'stop_moving', position: frame.data.position });
    else this.command(seat, { type: frame.event }, connection);
  }

  private command(seat: Seat, command: PaddleCommand, sender?: Connection): void {
    if (command.type !== 'stop_moving') this.members.broadcast(command.type, { player: seat.userId }, sender);
    // The paddle is changed in place: the recording compares copies.
    const before = this.recording ? { ...findPaddle(this.state, seat) } : null;
    applyCommandInPlace(this.state, seat, command);
    if (before) this.recording?.command(seat, command, before, { ...findPaddle(this.state, seat) });
    if (command.type === 'stop_moving') {
      this.members.broadcast('stop_moving', { player: seat.userId, position: findPaddle(this.state, seat).y });
    }
  }

  /** Everybody is here: the start sequence. */
  private startSequence(): void {
    this.cancelTimer();
    if (this.state.layout.paddlesPerTeam > 1) {
      for (const connection of this.members.all()) connection.send('rackets', racketsFor(this.state, this.members, connection.viewer));
    }
    this.members.broadcast('canvas', canvasOf(this.state));
    this.publishBall();
    this.countdown();
  }

  private countdown(): void {
    this.phase = 'countdown';
    this.members.broadcast('start_countdown', null);
    this.recording?.countdown();
    this.after(RoomTimings.countdownMs, () => {
      this.phase = 'playing';
      this.state = toLive(startPoint(this.state));
      this.recording?.startGame();
      this.members.broadcast('start_game', null);
      this.nextTickAt = this.deps.clock.now();
      this.scheduleTick();
    });
  }

  /**
   * `game_state` to everybody, once per perspective and encoding (members.ts).
   * `tickAt`: the planned time of the tick publishing it; outside ticks every connection gets it.
   */
  private publishBall(tickAt: number | null = null): void {
    this.members.publishBall(this.viewBall, this.ballJson, tickAt ?? this.clock.now(), tickAt !== null);
  }

  /** Ticks keep their planned instants, so a late timer does not slow the game down. */
  private scheduleTick(): void {
    this.nextTickAt += this.state.nextStepSeconds * 1000;
    this.cancelTimer();
    // Set, then planned: a double passed to a call that is not inlined would be boxed (no allocation per tick).
    this.tickRun.at = this.nextTickAt;
    this.ticks.reschedule(this.tickRun);
  }

  /**
   * One tick: the engine step in place, `game_state` if it is due, the goal
   * check. Everything it sends leaves at its end, one write per socket.
   * In steady state nothing here allocates but the messages themselves.
   */
  private onTick(): void {
    if (this.phase !== 'playing') return;
    if (this.observeTick) this.observeTick(this.clock.now() - this.nextTickAt);
    const outbox = this.members.outbox;
    outbox.hold();
    try {
      const outcome = this.outcome;
      tickInPlace(this.state, outcome);
      this.recording?.tick();
      if (outcome.publish) this.publishBall(this.nextTickAt);
      if (!outcome.goal) {
        this.scheduleTick();
        return;
      }
      this.phase = 'scoring';
      const scorer = this.members.seatAt(outcome.scorer!.team, outcome.scorer!.index)!;
      const ownGoal = outcome.ownGoal;
      const team = outcome.team;
      const score = this.state.score;
      this.recording?.goal(scorer, ownGoal);
      // The recorded goal comes back through goalRecorded / matchFinished.
      this.deps.referee.scoreGoal(scorer.userId, ownGoal).catch(() => {
        if (this.phase !== 'over') this.end({ reason: ErrorTexts.serverError, winner: team, team_a: score.a, team_b: score.b, forfeited_by: null });
      });
    } finally {
      outbox.release();
    }
  }

  /**
   * A goal was recorded for this match (by this room or through the internal
   * API): the recorded score wins. A point in play (or just ended) is over:
   * the next serve follows, paused if a seat is empty.
   */
  goalRecorded(recorded: RecordedScore): void {
    this.act(() => {
      if (this.phase === 'over') return;
      this.state.score = { ...recorded.score };
      this.members.broadcast('score', scoreOf(this.state));
      this.recording?.score(this.state.score);
      if (this.phase !== 'scoring' && this.phase !== 'playing') return;
      this.cancelTimer();
      this.state = toLive(serveNextPoint({ ...this.state, phase: 'scored', winner: null }, this.random));
      this.recording?.serve();
      this.publishBall();
      if (this.members.firstEmptySeat()) this.pause();
      else this.countdown();
    });
  }

  /** The match was finished (score, forfeit or timeout): `game_over` with the recorded result. */
  matchFinished(recorded: RecordedScore): void {
    this.act(() => {
      if (this.phase === 'over') return;
      this.state.score = { ...recorded.score };
      if (recorded.finishReason === 'normal-end') this.members.broadcast('score', scoreOf(this.state));
      // A game nobody completed ends without a winner on the players' screens.
      const absent = recorded.finishReason === 'player-not-connected';
      const forfeited = absent || recorded.finishReason === 'player-disconnect';
      const reason = recorded.finishReason ?? 'normal-end';
      const forfeitedBy = forfeited ? recorded.forfeitedBy ?? this.forfeiting : null;
      this.end({
        reason,
        winner: absent ? null : recorded.winner ?? null,
        team_a: absent ? 0 : recorded.score.a,
        team_b: absent ? 0 : recorded.score.b,
        forfeited_by: forfeitedBy,
        // The recorded match: its match object and its replay (stored before this goes out) can be fetched by this id.
        match_id: this.matchId,
      }, this.saveReplay(reason, forfeitedBy));
    });
  }

  /**
   * The replay is stored before `game_over` goes out, so a client may ask for it as soon as it hears the
   * end; a slow or failing store only delays the end a little: the result is recorded, the players must hear it.
   */
  private saveReplay(reason: string, forfeitedBy: number | null): Promise<void> | null {
    const recording = this.recording?.finish(reason, this.state.score, forfeitedBy ?? null);
    if (!recording || !this.deps.replays) return null;
    const saved = this.deps.replays.save(this.matchId, recording);
    return new Promise<void>((resolve) => {
      const timer = this.deps.clock.setTimeout(resolve, RoomTimings.replayWaitMs);
      const done = () => {
        timer.cancel();
        resolve();
      };
      saved.then(done, done);
    });
  }

  /**
   * The match was discarded before any player claimed it (the matches
   * service's own 5 s timer): only a room opened by a spectator can see
   * this. Its spectators get a `game_over` without a result.
   */
  matchDiscarded(): void {
    this.act(() => {
      if (this.phase === 'over') return;
      this.end({ reason: 'players-timeout', winner: null, team_a: 0, team_b: 0, forfeited_by: null });
    });
  }

  /** The 5 s for every seat to be taken start with the first player's connection. */
  private armConnectDeadline(): void {
    if (this.connectDeadlineArmed) return;
    this.connectDeadlineArmed = true;
    this.after(RoomTimings.connectTimeoutMs, () => this.connectDeadline());
  }

  private connectDeadline(): void {
    if (this.phase !== 'waiting') return;
    const empty = this.members.firstEmptySeat();
    if (empty) this.forfeit(empty, 'player-not-connected');
  }

  /** Nothing moves until every player is back (a goal being recorded is served then, see goalRecorded). */
  private pause(): void {
    this.cancelTimer();
    this.phase = 'paused';
  }

  /**
   * Every seat is taken again: the interrupted point goes on after the usual
   * countdown, the ball where it stood (leaving must not turn a goal about to
   * be conceded into a fresh serve), the paddles back in the centre as at
   * every countdown.
   */
  private resume(): void {
    this.state = toLive(interruptPoint(this.state));
    this.recording?.resume();
    this.publishBall();
    this.countdown();
  }

  /** Whole seconds left to a player away, 10 when he has just gone. */
  private secondsLeft(seat: Seat): number {
    const left = Math.round((seat.awayUntil ?? 0) - this.deps.clock.now());
    return Math.max(0, Math.ceil(left / 1000));
  }

  private absences(): ServerMessages['player_disconnected'][] {
    return this.members.awaySeats().map((seat) => ({ player: seat.userId, seconds: this.secondsLeft(seat) }));
  }

  private cancelGrace(seat: Seat): void {
    seat.graceTimer?.cancel();
    seat.graceTimer = null;
    seat.awayUntil = null;
  }

  private forfeit(seat: Seat, reason: ForfeitReason): void {
    seat.graceTimer = null;
    seat.awayUntil = null;
    if (this.phase === 'over' || seat.connection || this.forfeiting !== null) return;
    this.forfeiting = seat.userId;
    this.deps.referee.forfeit(this.matchId, seat.userId, reason).catch(() => {
      if (this.phase !== 'over') this.end({ reason: ErrorTexts.serverError, winner: null, team_a: this.state.score.a, team_b: this.state.score.b, forfeited_by: null });
    });
  }

  /** The match is over. Spectators are closed too rather than left attached to nothing. */
  private end(payload: GameOver, stored: Promise<void> | null = null): void {
    this.phase = 'over';
    this.cancelTimer();
    for (const seat of this.members.seats) this.cancelGrace(seat);
    const announce = () => this.act(() => {
      this.members.broadcast('game_over', payload);
      this.deps.clock.setTimeout(() => this.dispose(), RoomTimings.closeDelayMs);
    });
    if (stored) void stored.then(announce);
    else announce();
  }

  /** Closes every connection and forgets the room. */
  dispose(closeCode: number = CloseCodes.normal, closeReason: string = ErrorTexts.gameOver): void {
    if (this.disposed) return;
    this.disposed = true;
    this.phase = 'over';
    this.cancelTimer();
    for (const seat of this.members.seats) this.cancelGrace(seat);
    for (const connection of this.members.all()) {
      this.members.release(connection);
      connection.close(closeCode, closeReason);
    }
    this.deps.onDisposed(this);
  }

  private after(ms: number, fn: () => void): void {
    this.cancelTimer();
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.act(fn);
    }, ms);
  }

  /**
   * A paddle command: an action whose messages to compact connections leave with the next tick's write
   * when that tick is due within ECHO_WAIT_MAX_MS (one tick at 60 Hz): a write less, and no later than the
   * tick that moves the paddle (docs/game-protocol.md, The compact encoding).
   */
  private steering(fn: () => void): void {
    const outbox = this.members.outbox;
    const deferring = outbox.deferring;
    outbox.deferring = this.phase === 'playing' && this.nextTickAt - this.clock.now() <= ECHO_WAIT_MAX_MS;
    try {
      this.act(fn);
    } finally {
      outbox.deferring = deferring;
    }
  }

  /** Runs one action of the room; what it sends leaves at its end, one write per socket (members.ts, Outbox). */
  private act<T>(fn: () => T): T {
    const outbox = this.members.outbox;
    outbox.hold();
    try {
      return fn();
    } finally {
      outbox.release();
    }
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = null;
    this.tickRun.cancel();
  }
}
