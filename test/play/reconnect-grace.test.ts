import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { ApiClient, registerUser } from '../support/http.js';
import { eventually, sharedDatabase } from '../support/cluster.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream } from '../support/social.js';
import { closeAll, dropStream, expectSequence, matchmakerSettled, nth, pastGrace, player, type Player } from '../support/play.js';
import { createTournament, join as joinTournament, players, uniqueTournamentName } from '../tournament/helpers.js';

/**
 * A reload closes the user's only stream and opens a new one a moment
 * later: within STREAM_GRACE_MS he keeps his queue entry, lobby seat and
 * tournament record, and nobody hears of it; without a new stream he is
 * removed once the grace is over, with the usual events.
 */

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the presence table holds a row of a node that holds the user's stream: that write comes after
 * the first ping, and the end of the grace on the node of the old stream looks for it.
 */
async function recorded(node: TestServer, p: Player): Promise<void> {
  const holders = [node, node.second].filter((n) => n && n.platform.hub.localStreamCount(p.id) > 0).map((n) => n!.platform.config.nodeId);
  expect(holders.length).toBeGreaterThan(0);
  const rows = () => node.platform.db.selectFrom('presence').select('node_id').where('user_id', '=', p.id).where('node_id', 'in', holders).execute();
  await eventually(async () => (await rows()).length > 0, 5000, 'the presence row of the new stream');
}

/** The reload: the only stream closes, the clock runs almost to the end of the grace, a new stream opens. */
async function reload(p: Player): Promise<void> {
  await dropStream(server, p);
  server.clock.advance(server.config.streamGraceMs - 1);
  p.stream = await openStream(server, api, p);
  await recorded(server, p);
}

/** How many notifications each of the others holds now, to check later that none came after. */
const marks = (...all: Player[]) => new Map(all.map((p) => [p, p.stream.notifications.length]));

async function expectNothingSince(before: Map<Player, number>): Promise<void> {
  await sleep(150);
  for (const [p, count] of before) expect(p.stream.notifications.slice(count).map((e) => e.event), `events of ${p.username}`).toEqual([]);
}

const lobbyOf = (p: Player) => api.get('/api/play/lobby/', { token: p.access });
const tournamentOf = (p: Player) => api.get('/api/play/tournament/', { token: p.access });
const isOnline = async (p: Player) => (await api.get('/api/users/me/', { token: p.access })).body.is_online as boolean;

async function lobbyWith(creator: Player, member: Player): Promise<string> {
  const created = await api.post('/api/play/lobby/', { game_mode: 'clash' }, { token: creator.access });
  expect(created.status).toBe(201);
  expect((await api.post(`/api/play/lobby/${created.body.code}/`, undefined, { token: member.access })).status).toBe(201);
  await expectSequence(creator, ['lobby-join']);
  return created.body.code;
}

describe('the grace', () => {
  it('is 3 s by default; the user stays online through it, and goes offline after it as of the close', async () => {
    expect(server.config.streamGraceMs).toBe(3000);
    const p = await player(server, api);
    const closedAt = server.clock.now();
    await dropStream(server, p);
    expect(await isOnline(p)).toBe(true);
    server.clock.advance(2999);
    expect(await isOnline(p)).toBe(true);
    server.clock.advance(1);
    await server.platform.streamGrace.settled();
    const me = (await api.get('/api/users/me/', { token: p.access })).body;
    expect(me.is_online).toBe(false);
    expect(Date.parse(me.last_online)).toBe(closedAt);
  });
});

describe.each([
  { queue: 'duel', trophies: undefined },
  { queue: 'ranked', trophies: 7000 },
])('the $queue queue', ({ queue, trophies }) => {
  it('keeps the entry of a user who reloads', async () => {
    const p = await player(server, api, { trophies });
    expect((await api.post(`/api/play/${queue}/`, undefined, { token: p.access })).status).toBe(201);
    await reload(p);
    await pastGrace(server);
    await matchmakerSettled(server);
    expect(await server.platform.play.queues.entryOf(p.id)).not.toBeNull();
    expect((await api.delete(`/api/play/${queue}/`, undefined, { token: p.access })).status).toBe(204);
    await expectSequence(p, []);
    await closeAll(p);
  });

  it('removes the entry once the grace is over without a new stream', async () => {
    const p = await player(server, api, { trophies });
    expect((await api.post(`/api/play/${queue}/`, undefined, { token: p.access })).status).toBe(201);
    await dropStream(server, p);
    server.clock.advance(server.config.streamGraceMs - 1);
    await server.platform.streamGrace.settled();
    expect(await server.platform.play.queues.entryOf(p.id)).not.toBeNull();
    await pastGrace(server);
    expect(await server.platform.play.queues.entryOf(p.id)).toBeNull();
    p.stream = await openStream(server, api, p);
    expect((await api.delete(`/api/play/${queue}/`, undefined, { token: p.access })).status).toBe(404);
    await closeAll(p);
  });
});

describe('a lobby', () => {
  it('keeps a member who reloads, and tells nobody', async () => {
    const [a, b] = [await player(server, api), await player(server, api)];
    await lobbyWith(a, b);
    const before = marks(a);
    await reload(b);
    await pastGrace(server);
    await expectNothingSince(before);
    await expectSequence(b, []);
    const seen = await lobbyOf(b);
    expect(seen.status).toBe(200);
    expect(seen.body.participants.map((m: any) => [m.id, m.creator])).toEqual([[a.id, true], [b.id, false]]);
    await closeAll(a, b);
  });

  it('keeps a creator who reloads, and tells nobody', async () => {
    const [a, b] = [await player(server, api), await player(server, api)];
    await lobbyWith(a, b);
    const before = marks(b);
    await reload(a);
    await pastGrace(server);
    await expectNothingSince(before);
    await expectSequence(a, []);
    expect((await lobbyOf(a)).body.participants.map((m: any) => [m.id, m.creator])).toEqual([[a.id, true], [b.id, false]]);
    await closeAll(a, b);
  });

  it('drops a member without a new stream after the grace, with lobby-leave', async () => {
    const [a, b] = [await player(server, api), await player(server, api)];
    await lobbyWith(a, b);
    await dropStream(server, b);
    server.clock.advance(server.config.streamGraceMs - 1);
    await sleep(100);
    expect(a.stream.notifications.map((e) => e.event)).toEqual(['lobby-join']);
    await pastGrace(server);
    await expectSequence(a, ['lobby-join', 'lobby-leave']);
    expect(nth(a, 'lobby-leave').data).toEqual({ id: b.id });
    expect((await lobbyOf(a)).body.participants.map((m: any) => m.id)).toEqual([a.id]);
    await closeAll(a);
  });

  it('drops a creator without a new stream after the grace: lobby-leave, and the seat of creator passes on', async () => {
    const [a, b] = [await player(server, api), await player(server, api)];
    await lobbyWith(a, b);
    await dropStream(server, a);
    await pastGrace(server);
    await expectSequence(b, ['lobby-leave', 'lobby-update-participant']);
    expect(nth(b, 'lobby-update-participant').data).toEqual({ creator: true, id: b.id });
    expect((await lobbyOf(b)).body.participants.map((m: any) => [m.id, m.creator])).toEqual([[b.id, true]]);
    await closeAll(b);
  });
});

describe('a tournament before its start', () => {
  async function tournamentOfTwo(): Promise<{ creator: Player; member: Player; code: string }> {
    const [creator, member] = [await player(server, api), await player(server, api)];
    const t = await createTournament(api, creator, { name: uniqueTournamentName('Grace'), size: 8 });
    await joinTournament(api, member, t.code);
    await expectSequence(creator, ['tournament-join']);
    await expectSequence(member, []);
    return { creator, member, code: t.code };
  }

  it('keeps a participant who reloads, and tells nobody', async () => {
    const { creator, member } = await tournamentOfTwo();
    const before = marks(creator);
    await reload(member);
    await pastGrace(server);
    await expectNothingSince(before);
    await expectSequence(member, []);
    expect((await tournamentOf(member)).status).toBe(200);
    expect((await tournamentOf(creator)).status).toBe(200);
    await closeAll(creator, member);
  });

  it('keeps a creator who reloads, and tells nobody', async () => {
    const { creator, member } = await tournamentOfTwo();
    const before = marks(member);
    await reload(creator);
    await pastGrace(server);
    await expectNothingSince(before);
    await expectSequence(creator, []);
    const mine = await tournamentOf(creator);
    expect([mine.status, mine.body.created_by]).toEqual([200, creator.id]);
    await closeAll(creator, member);
  });

  it('keeps the tournament of a creator alone in it who reloads', async () => {
    const creator = await player(server, api);
    const t = await createTournament(api, creator, { name: uniqueTournamentName('Grace'), size: 4 });
    await reload(creator);
    await pastGrace(server);
    expect((await tournamentOf(creator)).status).toBe(200);
    const late = await player(server, api);
    await joinTournament(api, late, t.code);
    await expectSequence(creator, ['tournament-join']);
    await closeAll(creator, late);
  });

  it('removes a participant without a new stream after the grace, with tournament-leave', async () => {
    const { creator, member } = await tournamentOfTwo();
    await dropStream(server, member);
    server.clock.advance(server.config.streamGraceMs - 1);
    await sleep(100);
    expect(creator.stream.notifications.map((e) => e.event)).toEqual(['tournament-join']);
    await pastGrace(server);
    await expectSequence(creator, ['tournament-join', 'tournament-leave']);
    expect(nth(creator, 'tournament-leave').data).toEqual({ id: member.id });
    expect((await tournamentOf(creator)).status).toBe(200);
    await closeAll(creator);
  });

  it('removes a creator without a new stream after the grace (tournament-leave); alone, his tournament goes', async () => {
    const { creator, member } = await tournamentOfTwo();
    await dropStream(server, creator);
    await pastGrace(server);
    await expectSequence(member, ['tournament-leave']);
    expect(nth(member, 'tournament-leave').data).toEqual({ id: creator.id });

    const alone = await player(server, api);
    const t = await createTournament(api, alone, { name: uniqueTournamentName('Grace'), size: 4 });
    await dropStream(server, alone);
    await pastGrace(server);
    const late = await player(server, api);
    expect((await api.post(`/api/play/tournament/${t.code}/`, undefined, { token: late.access })).status).toBe(404);
    await closeAll(member, late);
  });
});

describe('a started tournament', () => {
  /** Four players fill a tournament of 4: it starts with the last join. */
  async function started(): Promise<Player[]> {
    const all = await players(server, api, 4, 5000);
    const t = await createTournament(api, all[0], { name: uniqueTournamentName('Grace'), size: 4 });
    for (const p of all.slice(1)) await joinTournament(api, p, t.code);
    for (const p of all) await p.stream.waitFor((events) => events.some((e) => e.event === 'tournament-start'));
    return all;
  }

  it('keeps a participant who reloads in the bracket (not eliminated)', async () => {
    const all = await started();
    await reload(all[1]);
    await pastGrace(server);
    const mine = await tournamentOf(all[1]);
    expect([mine.status, mine.body.is_started]).toEqual([200, true]);
    await closeAll(...all);
  });

  it('eliminates a participant without a new stream after the grace', async () => {
    const all = await started();
    await dropStream(server, all[1]);
    server.clock.advance(server.config.streamGraceMs - 1);
    await server.platform.streamGrace.settled();
    // Still in, and still online during the grace: the play API answers him.
    expect((await tournamentOf(all[1])).status).toBe(200);
    await pastGrace(server);
    all[1].stream = await openStream(server, api, all[1]);
    expect((await tournamentOf(all[1])).status).toBe(404);
    expect((await tournamentOf(all[0])).status).toBe(200);
    await closeAll(...all);
  });
});

describe('account deletion', () => {
  it('still drops at once', async () => {
    const [a, b] = [await player(server, api), await player(server, api)];
    await lobbyWith(a, b);
    expect((await api.delete('/api/users/me/', { password: b.password }, { token: b.access })).status).toBe(204);
    await expectSequence(a, ['lobby-join', 'lobby-leave']);
    await closeAll(a);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;

// The new stream lands on another node: the presence table, not the node that saw the close, decides.
describe.skipIf(!redisUrl)('a reload that lands on another node', () => {
  let nodeA: TestServer;
  let nodeB: TestServer;
  let apiA: ApiClient;
  let apiB: ApiClient;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await sharedDatabase();
    cleanup = db.drop;
    const clock = new ManualClock();
    nodeA = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'grace-a' } });
    nodeB = await startTestServer({ redisUrl, databaseUrl: db.databaseUrl, dataDir: db.dataDir, clock, env: { NODE_ID: 'grace-b' } });
    apiA = new ApiClient(nodeA.publicUrl);
    apiB = new ApiClient(nodeB.publicUrl);
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await cleanup?.();
  });

  async function playerOnA(): Promise<Player> {
    const user = await registerUser(apiA);
    return { ...user, stream: await openStream(nodeA, apiA, user) };
  }

  async function lobbyOnA(creator: Player, member: Player): Promise<void> {
    const created = await apiA.post('/api/play/lobby/', { game_mode: 'clash' }, { token: creator.access });
    expect((await apiA.post(`/api/play/lobby/${created.body.code}/`, undefined, { token: member.access })).status).toBe(201);
    await expectSequence(creator, ['lobby-join']);
  }

  const presenceRow = (nodeId: string, userId: number) => nodeA.platform.db.selectFrom('presence').select('user_id')
    .where('node_id', '=', nodeId).where('user_id', '=', userId).executeTakeFirst();

  it('keeps the seat: stream closed on node 1, reopened on node 2 within the grace', async () => {
    const [a, b] = [await playerOnA(), await playerOnA()];
    await lobbyOnA(a, b);
    const before = marks(a);
    await dropStream(nodeA, b);
    nodeA.clock.advance(nodeA.config.streamGraceMs - 1);
    b.stream = await openStream(nodeB, apiB, b);
    await recorded(nodeB, b);
    await pastGrace(nodeA);
    await expectNothingSince(before);
    await expectSequence(b, []);
    expect(await presenceRow('grace-a', b.id)).toBeUndefined();
    const me = await apiB.get('/api/users/me/', { token: b.access });
    expect(me.body.is_online).toBe(true);
    const seen = await apiB.get('/api/play/lobby/', { token: b.access });
    expect(seen.body.participants.map((m: any) => m.id)).toEqual([a.id, b.id]);
    // The graces of these streams run out one node at a time: two nodes in one process on one SQLite file stall on each other's write transactions.
    await dropStream(nodeB, b);
    await pastGrace(nodeB);
    await dropStream(nodeA, a);
    await pastGrace(nodeA);
  });

  it('drops the member when no node holds a stream of his at the end of the grace', async () => {
    const [a, b] = [await playerOnA(), await playerOnA()];
    await lobbyOnA(a, b);
    await dropStream(nodeA, b);
    await pastGrace(nodeA);
    await expectSequence(a, ['lobby-join', 'lobby-leave']);
    expect((await apiB.get('/api/users/me/', { token: b.access })).body.is_online).toBe(false);
    await closeAll(a);
  });
});
