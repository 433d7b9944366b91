import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Presence } from '../../src/features/events/presence.js';
import { ApiClient, registerUser, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Two nodes closing the same users' last streams at the same moment, each
 * still holding a presence row when the other looks: the users must end
 * offline, with the later close as `last_online`, whichever write lands last.
 * The second node is a second Presence on the same database (another node id).
 */
describe('presence written by two nodes at once', () => {
  let server: TestServer;
  let users: TestUser[];

  beforeAll(async () => {
    server = await startTestServer();
    const api = new ApiClient(server.publicUrl);
    users = await Promise.all(Array.from({ length: 12 }, () => registerUser(api)));
  });
  afterAll(async () => server?.close());

  const rowsOf = (ids: number[]) =>
    server.platform.db.selectFrom('users').select(['id', 'is_online', 'last_online']).where('id', 'in', ids).orderBy('id').execute();

  it('sets a user offline when both nodes close his last streams together, and keeps the later close', async () => {
    const { db } = server.platform;
    const clock = server.clock;
    const nodeA = new Presence(db, clock, 'race-a');
    const nodeB = new Presence(db, clock, 'race-b');
    const ids = users.map((u) => u.id);
    for (let round = 0; round < 5; round++) {
      await Promise.all(ids.flatMap((id) => [nodeA.streamOpened(id, true), nodeB.streamOpened(id, true)]));
      expect((await rowsOf(ids)).every((r) => r.is_online === 1)).toBe(true);
      const earlier = clock.now() + 1000;
      const later = earlier + 4000;
      // One close per user on each node, all written together: the older one sometimes last.
      await Promise.all(ids.flatMap((id, i) => (i % 2 === 0
        ? [nodeA.lastStreamClosed(id, later), nodeB.lastStreamClosed(id, earlier)]
        : [nodeB.lastStreamClosed(id, earlier), nodeA.lastStreamClosed(id, later)])));
      const rows = await rowsOf(ids);
      expect(rows.filter((r) => r.is_online === 1).map((r) => r.id), `round ${round}: still online`).toEqual([]);
      for (const row of rows) expect(Date.parse(row.last_online)).toBe(later);
      clock.advance(10_000);
    }
  });
});
