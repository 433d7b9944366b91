import { expect } from 'vitest';
import { startBot, type BotHandle } from '../../src/game/bot/index.js';
import type { BotSkill } from '../../src/game/bot/brain.js';
import type { ApiClient } from '../support/http.js';
import { pump } from '../support/game.js';
import { player, type Player } from '../support/play.js';
import type { TestServer } from '../support/server.js';
import { openStream } from '../support/social.js';

/** Returns almost everything (`hard`), or never moves: in a tournament the better seed plays `hard`, the other one `STATUE`. */
export const STATUE: BotSkill = { reactionMs: 0, aimError: 0, deadZone: 100_000 };

let names = 0;
export const uniqueTournamentName = (prefix = 'Cup') => `${prefix} ${process.pid % 1000}-${++names}-${Math.random().toString(36).slice(2, 6)}`;

/** Players with distinct trophies, highest first (so seeds follow the array order). */
export async function players(server: TestServer, api: ApiClient, count: number, base = 1000): Promise<Player[]> {
  const list: Player[] = [];
  for (let i = 0; i < count; i++) list.push(await player(server, api, { trophies: base - i * 10 }));
  return list;
}

export async function createTournament(api: ApiClient, owner: Player, body: Record<string, unknown>) {
  const res = await api.post('/api/play/tournament/', body, { token: owner.access });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

export async function join(api: ApiClient, p: Player, code: string) {
  const res = await api.post(`/api/play/tournament/${code}/`, undefined, { token: p.access });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** The codes of the notifications a player received (no pings). */
export const codesOf = (p: Player) => p.stream.notifications.map((e) => e.event);

/**
 * A round's start sends a player his `game-start` (the matches service, as his match is created) and the
 * round's `tournament-available-spectate-matches` (the tournament, once every match of the round exists):
 * nothing orders the two, and on a loaded machine the second can come first. Put back in the order
 * `expectedCodes` lists them.
 */
function inRoundOrder(codes: string[]): string[] {
  const out = [...codes];
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i] === 'tournament-available-spectate-matches' && out[i + 1] === 'game-start') [out[i], out[i + 1]] = [out[i + 1], out[i]];
  }
  return out;
}
export const envelopesOf = (p: Player, code: string) => p.stream.notifications.filter((e) => e.event === code).map((e) => e.envelope);

/** In a game between two of `ranked` (best first), the better one. */
export const betterOf = (ranked: Player[]) => (match: any): number => {
  const ids = [match.teams.a.players[0].id, match.teams.b.players[0].id];
  return ranked.find((p) => ids.includes(p.id))!.id;
};

/**
 * Computer players for a tournament: every `game-start` a participant
 * receives starts a bot for him over the real game WebSocket; `skillOf`
 * decides how well he plays.
 */
export class Arena {
  readonly bots: BotHandle[] = [];
  private started = new Map<number, number>();

  /** `winnerOf(match)`: the user id who should win the game (he plays `hard`, his opponent `STATUE`). */
  constructor(private readonly server: TestServer, private readonly winnerOf: (match: any) => number) {}

  /** Starts the bots of the `game-start` events received since the last call. */
  poll(all: Player[]): void {
    for (const p of all) {
      const starts = p.stream.notifications.filter((e) => e.event === 'game-start');
      for (let i = this.started.get(p.id) ?? 0; i < starts.length; i++) {
        const skill = this.winnerOf(starts[i].envelope.data) === p.id ? 'hard' : STATUE;
        this.bots.push(startBot(this.server.publicUrl, p.access, { skill, clock: this.server.clock, insecure: true }));
      }
      this.started.set(p.id, starts.length);
    }
  }

  /** Moves the clock (bots started as games are created) until `done`; fails after `maxMs` of clock time. */
  async run(all: Player[], done: () => boolean, maxMs = 900_000): Promise<void> {
    await pump(this.server.clock, maxMs, { until: () => { this.poll(all); return done(); } });
    if (!done()) console.log(all.map((p) => `${p.username}: ${codesOf(p).join(',')}`).join('\n'));
    expect(done(), 'the tournament did not reach its end in time').toBe(true);
  }

  closeAll(): void {
    for (const bot of this.bots) bot.close();
  }
}

/** Everybody received `code` at least `times` times. */
export const allReceived = (all: Player[], code: string, times = 1) => () => all.every((p) => codesOf(p).filter((c) => c === code).length >= times);

/** Re-opens every player's stream on (another) server. */
export async function reconnectStreams(server: TestServer, api: ApiClient, all: Player[]): Promise<void> {
  for (const p of all) {
    p.stream.close();
    p.stream = await openStream(server, api, p);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The codes participant `k` (0-based join order = seed order) receives in a
 * tournament that everyone joins and where the better seed always wins.
 */
export function expectedCodes(size: number, k: number): string[] {
  const threshold = Math.ceil(0.8 * size);
  const codes: string[] = [];
  for (let joiner = k + 1; joiner < size; joiner++) {
    codes.push('tournament-join');
    // The join that reaches the threshold (not the one that fills it) starts the countdown.
    if (joiner + 1 === threshold && threshold < size) codes.push('tournament-start-at');
  }
  if (k + 1 === threshold && threshold < size) codes.splice(0, 0, 'tournament-start-at');
  codes.push('tournament-start');
  const rounds = Math.log2(size);
  for (let r = 0; r < rounds; r++) {
    const inRound = k + 1 <= size / 2 ** r;
    if (r > 0 && !inRound) codes.push('tournament-available-spectate-matches');
    if (inRound) codes.push('game-start');
    for (let m = 0; m < size / 2 ** (r + 1); m++) codes.push('tournament-match-finish');
  }
  codes.push('tournament-finish');
  if (k === 0) codes.push('profile-picture-unlocked');
  return codes;
}

export const idsOf = (match: any) => [match.user_1?.id ?? null, match.user_2?.id ?? null];

export async function runFull(server: TestServer, api: ApiClient, size: number): Promise<{ all: Player[]; tournament: any }> {
  const all = await players(server, api, size);
  const tournament = await createTournament(api, all[0], { name: uniqueTournamentName(), size });
  for (const p of all.slice(1)) await join(api, p, tournament.code);
  const arena = new Arena(server, betterOf(all));
  await arena.run(all, allReceived(all, 'tournament-finish'));
  await sleep(300);
  arena.closeAll();
  for (const [k, p] of all.entries()) {
    const got = inRoundOrder(codesOf(p));
    const expected = expectedCodes(size, k);
    // Every event, as many times as expected, from the first to the last; between them, a round's events come
    // from several services (matches, tournament) that a loaded machine may interleave differently.
    expect([...got].sort(), `events of participant ${k + 1}`).toEqual([...expected].sort());
    expect([got[0], got.at(-1)], `first and last events of participant ${k + 1}`).toEqual([expected[0], expected.at(-1)]);
  }
  return { all, tournament };
}

