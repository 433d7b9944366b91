import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ApiClient, registerUser } from '../support/http.js';
import { SseClient } from '../support/sse.js';
import { eventually, ResumingStream, sharedDatabase, sleep, startNodeProcess, startRealTimeNode, type NodeProcess } from '../support/cluster.js';

const redisUrl = process.env.TEST_REDIS_URL;
const TTL_MS = 1500;
const HEARTBEAT_MS = 200;
const timing = { NODE_TTL_MS: String(TTL_MS), NODE_HEARTBEAT_MS: String(HEARTBEAT_MS) };

describe.skipIf(!redisUrl)('a node killed with SIGKILL', () => {
  let db: Awaited<ReturnType<typeof sharedDatabase>>;
  let survivor: RunningServer;
  let doomed: NodeProcess;

  beforeAll(async () => {
    db = await sharedDatabase();
    survivor = await startRealTimeNode(db, redisUrl!, { NODE_ID: 'survivor', ...timing });
    doomed = await startNodeProcess(db, redisUrl!, { NODE_ID: 'doomed', ...timing });
  });
  afterAll(async () => {
    doomed?.kill('SIGKILL');
    await survivor?.close();
    await db?.drop();
  });

  it('loses no event of its streams (they resume on the other node), and its users go offline after the TTL', async () => {
    const api = new ApiClient(survivor.publicUrl);
    const internal = new ApiClient(survivor.internalUrl!);
    const reader = await registerUser(api);
    const leaver = await registerUser(api);
    const bystander = await registerUser(api);
    const wentOffline: number[] = [];
    survivor.platform.presence.onOffline((userId) => { wentOffline.push(userId); });

    // The reader's client reconnects like EventSource: to the doomed node first, then (the load balancer) to the survivor.
    const client = new ResumingStream(reader.access, (attempt) => (attempt === 0 ? doomed.publicUrl : survivor.publicUrl), 100);
    const leaverStream = await SseClient.open(doomed.publicUrl, leaver.access);
    await leaverStream.next('ping');
    const bystanderStream = await SseClient.open(survivor.publicUrl, bystander.access);
    await bystanderStream.next('ping');
    const isOnline = async (user: typeof reader) => (await api.get('/api/users/me/', { token: user.access })).body.is_online === true;
    await eventually(async () => (await isOnline(reader)) && (await isOnline(leaver)) && (await isOnline(bystander)), 5000, 'everybody online');

    const total = 80;
    let killedAt = 0;
    for (let n = 0; n < total; n++) {
      // Chat and lobby events are published by whichever node served the write: here the survivor.
      const sent = await internal.post('/api/private/users/events/', { users_id: [reader.id], event_code: 'lobby-update', data: { n } });
      expect([201, 404]).toContain(sent.status);
      if (sent.status === 404) {
        // Between the crash and the reconnection the reader may count as offline for a moment: send it in-process, as producers do.
        await survivor.platform.events.send([reader.id], 'lobby-update', { n });
      }
      if (n === 30) {
        await eventually(() => client.received.length > 0, 5000, 'a first event through the doomed node');
        doomed.kill('SIGKILL');
        killedAt = Date.now();
        expect((await doomed.exited).signal).toBe('SIGKILL');
      }
      await sleep(5);
    }
    await eventually(() => client.received.length >= total, 10_000, `all ${total} events (got ${client.received.length})`);
    await sleep(100);
    expect(client.received.map((e) => e.envelope.data.n)).toEqual([...Array(total).keys()]);
    expect(client.connections).toBe(2);
    await leaverStream.waitClosed();

    // The leaver never came back: offline within TTL + a heartbeat (+ slack), and the offline listeners ran.
    await eventually(() => wentOffline.includes(leaver.id), TTL_MS + HEARTBEAT_MS + 3000, 'the leaver offline');
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(TTL_MS - 200);
    expect(await isOnline(leaver)).toBe(false);
    expect(await isOnline(reader)).toBe(true);
    expect(await isOnline(bystander)).toBe(true);
    expect(wentOffline).not.toContain(reader.id);
    const nodes = await survivor.platform.db.selectFrom('nodes').select('node_id').execute();
    expect(nodes.map((n) => n.node_id)).toEqual(['survivor']);
    const rows = await survivor.platform.db.selectFrom('presence').select(['node_id', 'user_id']).where('user_id', 'in', [reader.id, leaver.id]).execute();
    expect(rows).toEqual([{ node_id: 'survivor', user_id: reader.id }]);

    await client.stop();
    bystanderStream.close();
  });
});
