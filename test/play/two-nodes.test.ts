import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { sharedDatabase } from '../support/cluster.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream } from '../support/social.js';
import { closeAll, expectSequence, nth, type Player } from '../support/play.js';

const redisUrl = process.env.TEST_REDIS_URL;

// Queues and lobbies live in the database: two nodes see the same ones (needs Redis for the shared event bus).
describe.skipIf(!redisUrl)('queues and lobbies across two nodes', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await sharedDatabase();
    cleanup = db.drop;
    nodeA = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, env: { NODE_ID: 'play-a' } });
    nodeB = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, env: { NODE_ID: 'play-b' } });
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

  it('matches two duel entries made on different nodes, once', async () => {
    const a = await playerOn(nodeA);
    const b = await playerOn(nodeB);
    expect((await a.api.post('/api/play/duel/', undefined, { token: a.access })).status).toBe(201);
    expect((await b.api.post('/api/play/duel/', undefined, { token: b.access })).status).toBe(201);
    await expectSequence(a, ['game-start'], 300);
    await expectSequence(b, ['game-start'], 300);
    expect(nth(a, 'game-start').data.id).toBe(nth(b, 'game-start').data.id);
    await closeAll(a, b);
  });

  it('joins on one node a lobby created on the other, with the events crossing nodes', async () => {
    const a = await playerOn(nodeA);
    const b = await playerOn(nodeB);
    const lobby = (await a.api.post('/api/play/lobby/', { game_mode: 'custom_game' }, { token: a.access })).body;
    expect((await b.api.post(`/api/play/lobby/${lobby.code}/`, undefined, { token: b.access })).status).toBe(201);
    await b.api.patch(`/api/play/lobby/${lobby.code}/`, { is_ready: true }, { token: b.access });
    await a.api.patch(`/api/play/lobby/${lobby.code}/`, { is_ready: true }, { token: a.access });
    await expectSequence(a, ['lobby-join', 'lobby-update-participant', 'game-start'], 300);
    await expectSequence(b, ['lobby-update-participant', 'game-start'], 300);
    await closeAll(a, b);
  });
});
