import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { ApiClient } from '../support/http.js';
import { pump } from '../support/game.js';
import { closeAll, player, type Player } from '../support/play.js';
import { sharedDatabase } from '../support/cluster.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codesOf, createTournament, join, sleep, uniqueTournamentName } from './helpers.js';

const redisUrl = process.env.TEST_REDIS_URL;

// Two nodes on one database and one clock: each polls for due deadlines; the claim lets one of them act.
describe.skipIf(!redisUrl)('tournament deadlines with two nodes', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  let cleanup: () => Promise<void>;
  const clock = new ManualClock();

  beforeAll(async () => {
    const db = await sharedDatabase();
    cleanup = db.drop;
    nodeA = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'tournament-a' } });
    nodeB = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'tournament-b' } });
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await cleanup?.();
  });

  it('the countdown, the start and the first launches happen once, whichever node set them', { timeout: 60_000 }, async () => {
    const all: Player[] = [];
    for (let i = 0; i < 7; i++) {
      const node = i % 2 === 0 ? nodeA : nodeB;
      all.push(await player(node, new ApiClient(node.publicUrl), { trophies: 700 - i * 10 }));
    }
    const apiA = new ApiClient(nodeA.publicUrl);
    const apiB = new ApiClient(nodeB.publicUrl);
    const t = await createTournament(apiA, all[0], { name: uniqueTournamentName(), size: 8 });
    for (const [i, p] of all.slice(1).entries()) await join(i % 2 === 0 ? apiB : apiA, p, t.code);
    // Both nodes poll every second: the deadlines fall due on both. Run until the first round is decided (bye + 3 games timed out).
    await pump(clock, 120_000, { stepMs: 100, until: () => codesOf(all[0]).filter((c) => c === 'tournament-match-finish').length >= 4 });
    await pump(clock, 1000, { stepMs: 100 });
    await Promise.all([nodeA.platform.tournaments.settled(), nodeB.platform.tournaments.settled()]);
    await sleep(300);
    for (const p of all) {
      const codes = codesOf(p);
      expect(codes.filter((c) => c === 'tournament-start-at'), p.username).toHaveLength(1);
      expect(codes.filter((c) => c === 'tournament-start'), p.username).toHaveLength(1);
    }
    // The bye's result once, one game each for the six others (then their players-timeout results).
    expect(codesOf(all[0]).filter((c) => c === 'game-start')).toHaveLength(0);
    for (const p of all.slice(1)) expect(codesOf(p).filter((c) => c === 'game-start'), p.username).toHaveLength(1);
    const finishes = codesOf(all[0]).filter((c) => c === 'tournament-match-finish').length;
    expect(finishes).toBe(4);
    await closeAll(...all);
  });
});
