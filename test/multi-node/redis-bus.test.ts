import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, registerUser } from '../support/http.js';
import { SseClient } from '../support/sse.js';
import { sharedDatabase } from '../support/cluster.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { dropStream, pastGrace } from '../support/play.js';

const redisUrl = process.env.TEST_REDIS_URL;

// Needs a Redis server: CI sets TEST_REDIS_URL (and .ci/run starts Redis).
describe.skipIf(!redisUrl)('two nodes sharing Redis and one database', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await sharedDatabase();
    cleanup = db.drop;
    nodeA = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, env: { NODE_ID: 'node-a' } });
    nodeB = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, env: { NODE_ID: 'node-b' } });
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await cleanup?.();
  });

  it('an event published on one node reaches the streams held by the other, in order', async () => {
    const apiA = new ApiClient(nodeA.publicUrl);
    const apiB = new ApiClient(nodeB.publicUrl);
    const user = await registerUser(apiA);
    const onB = await SseClient.open(nodeB.publicUrl, user.access);
    const onA = await SseClient.open(nodeA.publicUrl, user.access);
    await onB.next('ping');
    await onA.next('ping');
    // Presence is written asynchronously after the stream opens; the publish rules need the user online.
    for (let i = 0; i < 200 && !(await apiB.get('/api/users/me/', { token: user.access })).body.is_online; i++) await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < 10; i++) {
      const res = await new ApiClient(nodeA.internalUrl!).post('/api/private/users/events/', { users_id: [user.id], event_code: 'lobby-update', data: { n: i } });
      expect(res.status).toBe(201);
    }
    for (const stream of [onA, onB]) {
      await stream.waitFor(() => stream.notifications.length === 10);
      expect(stream.notifications.map((e) => e.envelope.data.n)).toEqual([...Array(10).keys()]);
    }
    // Presence is shared: the user is online seen from either node while any stream is open (past node B's reconnection grace too).
    await dropStream(nodeB, { ...user, stream: onB });
    await pastGrace(nodeB);
    expect((await apiB.get('/api/users/me/', { token: user.access })).body.is_online).toBe(true);
    await dropStream(nodeA, { ...user, stream: onA });
    await pastGrace(nodeA);
    let online = true;
    for (let i = 0; i < 50 && online; i++) {
      await new Promise((r) => setTimeout(r, 20));
      online = (await apiB.get('/api/users/me/', { token: user.access })).body.is_online;
    }
    expect(online).toBe(false);
  });

  it('an in-process send on node B reaches a stream on node A', async () => {
    const apiB = new ApiClient(nodeB.publicUrl);
    const user = await registerUser(apiB);
    const onA = await SseClient.open(nodeA.publicUrl, user.access);
    await onA.next('ping');
    await nodeB.platform.events.send([user.id], 'invite-1v1', { id: 7, code: 'ABCD' }, { username: 'zed' });
    const invite = await onA.next('invite-1v1');
    expect(invite.envelope.message).toBe('zed has challenged you to a game.');
    expect(invite.envelope.target[0].url).toBe('/lobby/ABCD');
    onA.close();
  });
});
