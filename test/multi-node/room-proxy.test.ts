import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/game/engine/index.js';
import { CloseCodes } from '../../src/game/protocol.js';
import { ManualClock } from '../../src/platform/clock.js';
import { ApiClient, registerUser } from '../support/http.js';
import { createMatch, GameSocket, pump } from '../support/game.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { eventually, sharedDatabase } from '../support/cluster.js';

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('live rooms on many nodes: sockets landing on another node are proxied to the owner', () => {
  let a: TestServer;
  let b: TestServer;
  let clock: ManualClock;
  let drop: () => Promise<void>;
  let api: ApiClient;

  beforeAll(async () => {
    const db = await sharedDatabase();
    drop = db.drop;
    clock = new ManualClock();
    a = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'rooms-a' } });
    b = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'rooms-b' } });
    a.platform.rooms.useRandom(seededRandom(3));
    b.platform.rooms.useRandom(seededRandom(3));
    api = new ApiClient(a.publicUrl);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
  });

  const ownerOf = async (matchId: number) =>
    (await a.platform.db.selectFrom('live_rooms').select('node_id').where('match_id', '=', matchId).executeTakeFirst())?.node_id;

  it('one room on the node of the first connection; the other player and a spectator on the other node play and watch through it', async () => {
    const p1 = await registerUser(api);
    const p2 = await registerUser(api);
    const watcher = await registerUser(api);
    const match = await createMatch(new ApiClient(b.internalUrl!), 'duel', [p1], [p2]);

    const s1 = await GameSocket.open(a.publicUrl, p1.access);
    await eventually(() => a.platform.rooms.size === 1, 3000, 'the room on node a');
    expect(await ownerOf(match.id)).toBe('rooms-a');
    const s2 = await GameSocket.open(b.publicUrl, p2.access, { viaHeader: true });
    await s1.next('start_countdown');
    await s2.next('start_countdown');
    expect(b.platform.rooms.size).toBe(0);
    expect(s2.frames.map((f) => f.event)).toEqual(['canvas', 'game_state', 'start_countdown']);

    const spectator = await GameSocket.open(b.publicUrl, watcher.access, { matchCode: match.code });
    await spectator.next('canvas');
    await spectator.next('game_state');

    await pump(clock, 2100);
    await s2.next('start_game');
    await spectator.next('start_game');
    // Player 2's paddle, steered through the proxy, moves on the owner.
    s2.send('move_up', null);
    const moved = await s1.next('move_up');
    expect(moved.data).toEqual({ player: p2.id });

    // Internal calls landing on the node without the room reach it.
    const internalB = new ApiClient(b.internalUrl!);
    const scored = await internalB.put(`/api/private/match/score/${p2.id}/`, { own_goal: false });
    expect(scored.status).toBe(200);
    const score = await s2.next('score');
    expect(score.data).toEqual({ team_a: 0, team_b: 1 });
    await spectator.next('score');
    const finished = await internalB.put(`/api/private/match/finish/${match.id}/`, { user_id: p1.id, finish_reason: 'player-disconnect' });
    expect(finished.status).toBe(200);
    const over = await s2.next('game_over');
    expect(over.data).toMatchObject({ reason: 'player-disconnect', winner: 'b' });
    await spectator.next('game_over');
    await pump(clock, 600);
    // Close codes cross the proxy as they are.
    expect(await s2.waitClosed()).toEqual({ code: CloseCodes.normal, reason: 'Game over.' });
    expect(await s1.waitClosed()).toEqual({ code: CloseCodes.normal, reason: 'Game over.' });
    await eventually(async () => (await ownerOf(match.id)) === undefined, 3000, 'the room released');
  });

  it('refusals of the owner reach the client; an unknown code is refused by the node asked', async () => {
    const p = await registerUser(api);
    const stranger = await GameSocket.open(b.publicUrl, p.access, { matchCode: 'zz99' });
    expect(await stranger.waitClosed()).toEqual({ code: CloseCodes.notFound, reason: 'No match with code zz99 is running on this server' });
    const bad = await GameSocket.open(b.publicUrl, 'garbage');
    expect((await bad.waitClosed()).code).toBe(CloseCodes.unauthenticated);
  });

  it('a match whose node is dead is taken over by the node a player reaches, from the recorded score', async () => {
    const p1 = await registerUser(api);
    const p2 = await registerUser(api);
    const match = await createMatch(new ApiClient(a.internalUrl!), 'duel', [p1], [p2]);
    // A node that died holding the room.
    await a.platform.db.insertInto('nodes').values({ node_id: 'rooms-dead', url: 'https://127.0.0.1:1', started_at: '2000-01-01T00:00:00.000Z', heartbeat_at: '2000-01-01T00:00:00.000Z' }).execute();
    await a.platform.db.insertInto('live_rooms').values({ match_id: match.id, code: match.code, node_id: 'rooms-dead', created_at: '2000-01-01T00:00:00.000Z' }).execute();
    const s1 = await GameSocket.open(b.publicUrl, p1.access);
    // The takeover is claimed while the first socket is admitted: only then may the second player arrive elsewhere.
    await eventually(async () => (await ownerOf(match.id)) === 'rooms-b', 5000, 'node b to take the room over');
    const s2 = await GameSocket.open(a.publicUrl, p2.access);
    await s1.next('start_countdown');
    await s2.next('start_countdown');
    expect(await ownerOf(match.id)).toBe('rooms-b');
    expect(b.platform.rooms.size).toBe(1);
    s1.close();
    s2.close();
    await new ApiClient(a.internalUrl!).put(`/api/private/match/finish/${match.id}/`, { user_id: p1.id, finish_reason: 'player-disconnect' });
    // The room closes once the replay is stored (real time, longer on a loaded machine), then on the clock's timers.
    await eventually(async () => {
      await pump(clock, 100);
      return b.platform.rooms.size === 0;
    }, 5000, 'the room disposed');
    await a.platform.db.deleteFrom('nodes').where('node_id', '=', 'rooms-dead').execute();
  });
});
