import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { ApiClient } from '../support/http.js';
import { pump } from '../support/game.js';
import { closeAll, type Player } from '../support/play.js';
import { createPostgresDatabase, startTestServer, testDatabase, type TestServer } from '../support/server.js';
import {
  allReceived, Arena, betterOf, codesOf, createTournament, envelopesOf, join, players, reconnectStreams, sleep, uniqueTournamentName,
} from './helpers.js';

/** One data directory (SQLite) or one PostgreSQL database shared by the successive lives of the node. */
let dataDir: string;
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | null = null;
let server: TestServer | null = null;

beforeAll(async () => {
  dataDir = mkdtempSync(joinPath(tmpdir(), 'pong-restart-'));
  if (testDatabase() === 'postgres') {
    const created = await createPostgresDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
});
afterAll(async () => {
  await server?.close();
  await dropDatabase?.();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Stops the current node and starts a new one on the same data, its clock going on from the old one's time. */
async function restart(all: Player[]): Promise<{ api: ApiClient; internal: ApiClient }> {
  const now = server!.clock.now();
  await server!.close();
  server = await startTestServer({ dataDir, databaseUrl, clock: new ManualClock(now) });
  const api = new ApiClient(server.publicUrl);
  await reconnectStreams(server, api, all);
  return { api, internal: new ApiClient(server.internalUrl!) };
}

async function advance(ms: number): Promise<void> {
  await pump(server!.clock, ms, { stepMs: 250 });
  await server!.platform.tournaments.settled();
  await sleep(30);
}

const waitFor = (p: Player, code: string, count = 1) => p.stream.waitFor((events) => events.filter((e) => e.event === code).length >= count);

describe('a restart in the middle of a tournament', () => {
  it('resumes the countdown, the wait between rounds and the games lost with the node, then finishes', { timeout: 120_000 }, async () => {
    server = await startTestServer({ dataDir, databaseUrl });
    let api = new ApiClient(server.publicUrl);
    const all = await players(server, api, 7);
    const name = uniqueTournamentName();
    const t = await createTournament(api, all[0], { name, size: 8 });
    for (const p of all.slice(1)) await join(api, p, t.code);
    await waitFor(all[6], 'tournament-start-at');
    const startAt = Date.parse(envelopesOf(all[6], 'tournament-start-at')[0].data.start_at);
    await advance(10_000);

    // 1. Restart during the 20 s countdown: the stored deadline starts the tournament on time.
    ({ api } = await restart(all));
    expect((await api.get('/api/play/tournament/', { token: all[3].access })).body).toMatchObject({ is_started: false, start_at: new Date(startAt).toISOString() });
    await advance(9000);
    expect(codesOf(all[0])).toEqual([]);
    await advance(1000);
    for (const p of all) await waitFor(p, 'tournament-start');
    expect(server.clock.now()).toBeGreaterThanOrEqual(startAt);
    const bracket = envelopesOf(all[0], 'tournament-start')[0].data;
    expect(bracket.start_at).toBe(new Date(startAt).toISOString());

    // The first round: the bye, then three games the better seed wins (internal score endpoint).
    await advance(3000);
    for (const p of all.slice(1)) await waitFor(p, 'game-start');
    let internal = new ApiClient(server.internalUrl!);
    for (const winner of all.slice(1, 4)) {
      for (let goal = 0; goal < 3; goal++) expect((await internal.put(`/api/private/match/score/${winner.id}/`, {})).status).toBe(200);
    }
    for (const p of all) await waitFor(p, 'tournament-match-finish', 4);

    // 2. Restart during the 3 s between rounds: the semi-finals open on time on the new node.
    ({ api, internal } = await restart(all));
    await advance(2000);
    expect(codesOf(all[0])).toEqual([]);
    await advance(1000);
    for (const p of all.slice(0, 4)) await waitFor(p, 'game-start');
    for (const p of all.slice(4)) await waitFor(p, 'tournament-available-spectate-matches');
    const semi = (p: Player) => envelopesOf(p, 'game-start')[0].data;
    expect([semi(all[0]).tournament_n, semi(all[0]).teams.b.players[0].id]).toEqual([3, all[3].id]);
    expect([semi(all[1]).tournament_n, semi(all[1]).teams.b.players[0].id]).toEqual([4, all[2].id]);

    // 3. Restart while the semi-finals are being played: their games are discarded with the node and launched again 5 s later.
    const lost = [semi(all[0]).id, semi(all[1]).id];
    ({ api, internal } = await restart(all));
    await advance(5000);
    for (const p of all.slice(0, 4)) await waitFor(p, 'game-start');
    const again = envelopesOf(all[0], 'game-start')[0].data;
    expect(lost).not.toContain(again.id);
    expect(again).toMatchObject({ tournament_id: t.id, tournament_n: 3 });

    // Bots play the rest over the real WebSocket of the new node.
    const arena = new Arena(server, betterOf(all));
    await arena.run(all, allReceived(all, 'tournament-finish'));
    await sleep(200);
    arena.closeAll();
    for (const p of all.slice(2)) expect(codesOf(p).filter((c) => c === 'tournament-match-finish')).toHaveLength(3);
    expect(codesOf(all[0])).toEqual(['game-start', 'tournament-match-finish', 'tournament-match-finish', 'game-start', 'tournament-match-finish', 'tournament-finish', 'profile-picture-unlocked']);
    expect(envelopesOf(all[5], 'tournament-finish')[0].kwargs).toEqual({ name, username: all[0].id });
    const archived = (await api.get(`/api/game/tournaments/${t.id}/`, { token: all[0].access })).body;
    expect(archived.matches['quarter-final'].map((m: any) => m.n)).toEqual([1, 2, 3, 4]);
    expect(archived.matches['semi-final'].map((m: any) => [m.n, m.winner.id])).toEqual([[3, all[0].id], [4, all[1].id]]);
    expect(archived.matches.final.map((m: any) => [m.n, m.winner.id, m.looser.id])).toEqual([[5, all[0].id, all[1].id]]);
    await closeAll(...all);
  });
});
