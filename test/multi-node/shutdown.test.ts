import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { CloseCodes } from '../../src/game/protocol.js';
import { ApiClient, registerUser } from '../support/http.js';
import { createMatch, GameSocket } from '../support/game.js';
import { eventually, ResumingStream, sharedDatabase, sleep, startNodeProcess, startRealTimeNode, type NodeProcess } from '../support/cluster.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('SIGTERM drains a node gracefully', () => {
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let survivor: RunningServer;
  let draining: NodeProcess;

  beforeAll(async () => {
    db = await sharedDatabase();
    survivor = await startRealTimeNode(db, redisUrl!, { NODE_ID: 'stays' });
    draining = await startNodeProcess(db, redisUrl!, { NODE_ID: 'leaves', SHUTDOWN_DELAY_MS: '1000' });
  });
  afterAll(async () => {
    draining?.kill('SIGKILL');
    await survivor?.close();
    await db?.drop();
  });

  it('readiness turns 503 while requests are still served, streams and games move to another node, the process exits 0', async () => {
    const api = new ApiClient(survivor.publicUrl);
    const leaving = new ApiClient(draining.publicUrl);
    const reader = await registerUser(api);
    const p1 = await registerUser(api);
    const p2 = await registerUser(api);
    expect((await leaving.get('/api/health')).body).toMatchObject({ status: 'ok', database: 'ok', bus: 'ok', redis: 'ok', node: 'leaves' });

    const client = new ResumingStream(reader.access, (attempt) => (attempt === 0 ? draining.publicUrl : survivor.publicUrl), 50);
    await eventually(() => client.connections === 1, 5000, 'the stream on the draining node');
    await survivor.platform.events.send([reader.id], 'lobby-update', { n: 0 });
    await eventually(() => client.received.length === 1, 5000, 'a first event');

    const match = await createMatch(new ApiClient(survivor.internalUrl!), 'duel', [p1], [p2]);
    const s1 = await GameSocket.open(draining.publicUrl, p1.access);
    const s2 = await GameSocket.open(draining.publicUrl, p2.access);
    await s1.next('start_countdown');
    await s2.next('start_countdown');

    draining.kill('SIGTERM');
    await eventually(async () => (await leaving.get('/api/health')).status === 503, 2000, 'readiness 503');
    const health = await leaving.get('/api/health');
    expect(health.body).toMatchObject({ status: 'draining', node: 'leaves' });
    expect((await leaving.get('/api/health/live')).status).toBe(200);
    // Still serving while the load balancer takes the node out.
    expect((await leaving.get('/api/users/me/', { token: reader.access })).status).toBe(200);
    for (let n = 1; n <= 20; n++) {
      await survivor.platform.events.send([reader.id], 'lobby-update', { n });
      await sleep(40);
    }

    // Players are told to reconnect; the match is released and goes on on the node they reach.
    expect(await s1.waitClosed(5000)).toEqual({ code: CloseCodes.restarting, reason: 'Server restarting.' });
    expect((await s2.waitClosed(5000)).code).toBe(CloseCodes.restarting);
    expect(await draining.exited).toEqual({ code: 0, signal: null });
    const rooms = await survivor.platform.db.selectFrom('live_rooms').selectAll().where('match_id', '=', match.id).execute();
    expect(rooms).toEqual([]);
    const back1 = await GameSocket.open(survivor.publicUrl, p1.access);
    const back2 = await GameSocket.open(survivor.publicUrl, p2.access);
    await back1.next('start_countdown');
    await back2.next('start_countdown');
    expect(survivor.platform.rooms.findByMatch(match.id)).toBeDefined();

    await eventually(() => client.received.length >= 21, 5000, `every event (got ${client.received.length})`);
    await sleep(100);
    expect(client.received.map((e) => e.envelope.data.n)).toEqual([...Array(21).keys()]);
    expect(client.connections).toBe(2);
    await client.stop();
    back1.close();
    back2.close();
  });
});
