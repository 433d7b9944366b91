import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../../src/game/bot/index.js';
import { ApiClient, registerUser } from '../support/http.js';
import { sharedDatabase } from '../support/cluster.js';
import { pump } from '../support/game.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream } from '../support/social.js';
import { closeAll, type Player } from '../support/play.js';

const redisUrl = process.env.TEST_REDIS_URL;

// The matchmaker runs on the leader; the game against the computer may live on the other node.
describe.skipIf(!redisUrl)('a duel found for somebody playing the computer on another node', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await sharedDatabase();
    cleanup = db.drop;
    nodeA = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, env: { NODE_ID: 'computer-a' } });
    nodeB = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, env: { NODE_ID: 'computer-b' } });
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await cleanup?.();
  });

  async function playerOn(node: TestServer): Promise<Player & { api: ApiClient }> {
    const api = new ApiClient(node.publicUrl);
    const user = await registerUser(api);
    return { ...user, api, stream: await openStream(node, api, user) };
  }

  it('ends the computer game in its room on the follower, then creates the duel; the person keeps the win', { timeout: 60_000 }, async () => {
    for (let i = 0; i < 100 && !nodeA.platform.leadership.isLeader && !nodeB.platform.leadership.isLeader; i++) await new Promise((r) => setTimeout(r, 50));
    const [leader, follower] = nodeA.platform.leadership.isLeader ? [nodeA, nodeB] : [nodeB, nodeA];
    expect(leader.platform.leadership.isLeader).toBe(true);

    // Alice searches and plays the computer on the follower: her room and her computer player live there.
    const alice = await playerOn(follower);
    expect((await alice.api.post('/api/play/duel/', undefined, { token: alice.access })).status).toBe(201);
    const practice = await alice.api.post('/api/play/computer/', { level: 'easy' }, { token: alice.access });
    expect(practice.status, practice.text).toBe(201);
    const client = startBot(follower.publicUrl, alice.access, { skill: 'hard', clock: follower.clock, insecure: true });
    await pump(follower.clock, 5000);
    expect(follower.platform.rooms.findByMatch(practice.body.id)).toBeDefined();
    expect(follower.platform.play.bots.playing).toBe(1);

    // Bob searches on the leader: the leader pairs them, the room on the follower hears the computer leave.
    const bob = await playerOn(leader);
    expect((await bob.api.post('/api/play/duel/', undefined, { token: bob.access })).status).toBe(201);
    const over = await client.gameOver;
    expect(over).toMatchObject({ reason: 'player-disconnect', forfeited_by: practice.body.teams.b.players[0].id, winner: 'a' });
    await alice.stream.waitFor((events) => events.filter((e) => e.event === 'game-start').length === 2, 10_000);
    const duel = alice.stream.notifications.filter((e) => e.event === 'game-start')[1].envelope.data;
    expect(duel.game_mode).toBe('duel');
    expect((await bob.stream.next('game-start', 10_000)).envelope.data.id).toBe(duel.id);

    await pump(follower.clock, 1000);
    expect(follower.platform.play.bots.playing).toBe(0);
    const history = (await bob.api.get(`/api/game/matches/${alice.id}/`, { token: bob.access })).body.results;
    expect(history.find((m: any) => m.id === practice.body.id)).toMatchObject({ finished: true, finish_reason: 'player-disconnect', winner: 'a' });
    client.close();
    await closeAll(alice, bob);
  });
});
