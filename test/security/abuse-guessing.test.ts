import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCodes } from '../../src/game/protocol.js';
import { GameSocket, createMatch } from '../support/game.js';
import { ApiClient } from '../support/http.js';
import { useTwoNodesSharing } from '../support/cluster.js';
import { closeAll, player, type Player } from '../support/play.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ClientFrom, gameSocketClose } from './abuse-support.js';

const THROTTLED = { detail: 'Request was throttled.' };
let wrong = 0;
/** A code no lobby, tournament or match has (real codes are 4 digits). */
const wrongCode = () => `x${String(++wrong).padStart(3, '0')}`;

describe('guessing codes is slow: 10 failed lookups per minute per user and per address', () => {
  let server: TestServer;
  let api: ApiClient;
  const clients = new Map<string, ClientFrom>();
  const from = (address: string) => {
    if (!clients.has(address)) clients.set(address, new ClientFrom(server.publicUrl, address));
    return clients.get(address)!;
  };
  const joinLobby = (p: Player, code: string, address: string) => from(address).post(`/api/play/lobby/${code}/`, undefined, { token: p.access });
  const joinTournament = (p: Player, code: string, address: string) => from(address).post(`/api/play/tournament/${code}/`, undefined, { token: p.access });

  beforeAll(async () => {
    server = await startTestServer({ env: { CODE_GUESSES_PER_MINUTE: '10' } });
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => {
    for (const client of clients.values()) await client.close();
    await server.close();
  });

  it('a few wrong codes go unnoticed; the 11th failure of a user is 429, from any address, until the minute is over', async () => {
    const [alice, bob, carol] = [await player(server, api), await player(server, api), await player(server, api)];
    const lobby = await api.post('/api/play/lobby/', { game_mode: 'custom_game' }, { token: bob.access });
    expect(lobby.status).toBe(201);

    for (let i = 0; i < 3; i++) expect((await joinLobby(alice, wrongCode(), '127.0.0.11')).status).toBe(404);
    // Found: does not count.
    expect((await joinLobby(alice, lobby.body.code, '127.0.0.11')).status).toBe(201);
    expect((await api.delete(`/api/play/lobby/${lobby.body.code}/`, undefined, { token: alice.access })).status).toBe(204);
    for (let i = 0; i < 7; i++) {
      const res = await joinLobby(alice, wrongCode(), '127.0.0.11');
      expect([res.status, res.body]).toEqual([404, { detail: 'Lobby not found.' }]);
    }
    const refused = await joinLobby(alice, wrongCode(), '127.0.0.11');
    expect([refused.status, refused.body]).toEqual([429, THROTTLED]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Even the right code, and from another address: the user's budget is spent.
    expect((await joinLobby(alice, lobby.body.code, '127.0.0.11')).status).toBe(429);
    expect((await joinLobby(alice, lobby.body.code, '127.0.0.12')).status).toBe(429);
    // The same budget covers tournaments.
    expect((await joinTournament(alice, wrongCode(), '127.0.0.12')).status).toBe(429);
    // Another user on another address is not affected.
    expect((await joinLobby(carol, wrongCode(), '127.0.0.13')).status).toBe(404);

    server.clock.advance(60_000);
    expect((await joinLobby(alice, lobby.body.code, '127.0.0.11')).status).toBe(201);
    await closeAll(alice, bob, carol);
  });

  it('counts per address too: many accounts on one address share its 10 failures', async () => {
    server.clock.advance(60_000);
    const users: Player[] = [];
    for (let i = 0; i < 11; i++) users.push(await player(server, api));
    const statuses = [];
    for (const user of users) statuses.push((await joinTournament(user, wrongCode(), '127.0.0.21')).status);
    expect(statuses).toEqual([...new Array(10).fill(404), 429]);
    // The eleventh account from another address: its own budget is intact.
    expect((await joinTournament(users[10], wrongCode(), '127.0.0.22')).status).toBe(404);
    await closeAll(...users);
  });

  it('joins that succeed never count, and tournaments are throttled like lobbies', async () => {
    server.clock.advance(60_000);
    const [owner, dave] = [await player(server, api), await player(server, api)];
    const created = await api.post('/api/play/tournament/', { name: 'guess cup', size: 8, private: true }, { token: owner.access });
    expect(created.status).toBe(201);
    const code = created.body.code;
    for (let i = 0; i < 15; i++) {
      expect((await joinTournament(dave, code, '127.0.0.31')).status).toBe(201);
      expect((await api.delete(`/api/play/tournament/${code}/`, undefined, { token: dave.access })).status).toBe(204);
    }
    for (let i = 0; i < 10; i++) expect((await joinTournament(dave, wrongCode(), '127.0.0.31')).status).toBe(404);
    const refused = await joinTournament(dave, code, '127.0.0.31');
    expect([refused.status, refused.body]).toEqual([429, THROTTLED]);
    await closeAll(owner, dave);
  });

  it('parallel guesses cannot overtake the count', async () => {
    server.clock.advance(60_000);
    const eve = await player(server, api);
    const answers = await Promise.all(Array.from({ length: 30 }, () => joinLobby(eve, wrongCode(), '127.0.0.35')));
    expect(answers.filter((r) => r.status === 404)).toHaveLength(10);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(20);
    await closeAll(eve);
  });

  it('spectating by code over the game socket is throttled the same way (refused with 4003 and the reason)', async () => {
    server.clock.advance(60_000);
    const frank = await player(server, api);
    for (let i = 0; i < 10; i++) {
      const code = wrongCode();
      expect(await gameSocketClose(server.publicUrl, frank.access, code, '127.0.0.41')).toEqual({
        code: CloseCodes.notFound, reason: `No match with code ${code} is running on this server`,
      });
    }
    expect(await gameSocketClose(server.publicUrl, frank.access, wrongCode(), '127.0.0.41')).toEqual({ code: CloseCodes.forbidden, reason: 'Request was throttled.' });
    // One budget for the sockets and the joins.
    expect((await joinLobby(frank, wrongCode(), '127.0.0.42')).status).toBe(429);
    // The address too: another user on it is refused at once.
    const grace = await player(server, api);
    expect(await gameSocketClose(server.publicUrl, grace.access, wrongCode(), '127.0.0.41')).toEqual({ code: CloseCodes.forbidden, reason: 'Request was throttled.' });
    await closeAll(frank, grace);
  });

  it('looking a live match up by a code that finds nothing counts the same; the list itself does not', async () => {
    server.clock.advance(60_000);
    const heidi = await player(server, api);
    const lookUp = (code: string) => from('127.0.0.51').get(`/api/game/live/?code=${code}`, { token: heidi.access });
    for (let i = 0; i < 10; i++) {
      const res = await lookUp(wrongCode());
      expect([res.status, res.body.count]).toEqual([200, 0]);
    }
    const refused = await lookUp(wrongCode());
    expect([refused.status, refused.body]).toEqual([429, THROTTLED]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // One budget with the joins and the sockets.
    expect((await joinLobby(heidi, wrongCode(), '127.0.0.52')).status).toBe(429);
    expect((await from('127.0.0.51').get('/api/game/live/', { token: heidi.access })).status).toBe(200);
    await closeAll(heidi);
  });

  it('the code of a match being played is no failed guess, even before the live list shows it', async () => {
    server.clock.advance(60_000);
    const [ivan, judy, kim] = [await player(server, api), await player(server, api), await player(server, api)];
    // The live board was just read: with the clock standing still it is not read again, and does not show the new match.
    expect((await api.get('/api/game/live/', { token: kim.access })).status).toBe(200);
    const match = await createMatch(new ApiClient(server.internalUrl!), 'duel', [ivan], [judy]);
    const socket = await GameSocket.open(server.publicUrl, ivan.access);
    try {
      // His connection claims the match's room (live_rooms): the match is being played.
      const claimed = () => server.platform.db.selectFrom('live_rooms').select('match_id').where('match_id', '=', match.id).executeTakeFirst();
      for (let wait = 0; !(await claimed()) && wait < 100; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await claimed()).toBeDefined();
      for (let i = 0; i < 12; i++) {
        const res = await from('127.0.0.61').get(`/api/game/live/?code=${match.code}`, { token: kim.access });
        expect([res.status, res.body.count]).toEqual([200, 0]);
      }
      // The budget is whole: ten wrong codes still answer, the eleventh is refused.
      for (let i = 0; i < 10; i++) expect((await from('127.0.0.61').get(`/api/game/live/?code=${wrongCode()}`, { token: kim.access })).status).toBe(200);
      expect((await from('127.0.0.61').get(`/api/game/live/?code=${wrongCode()}`, { token: kim.access })).status).toBe(429);
    } finally {
      socket.close();
      await closeAll(ivan, judy, kim);
    }
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('with Redis the guess budgets are shared by every node', () => {
  const nodes = useTwoNodesSharing('guess', { CODE_GUESSES_PER_MINUTE: '10' });

  it('failures on one node are counted on the other', async () => {
    const apiA = new ApiClient(nodes.a.publicUrl);
    const apiB = new ApiClient(nodes.b.publicUrl);
    const henry = await player(nodes.a, apiA);
    for (let i = 0; i < 5; i++) expect((await apiA.post(`/api/play/lobby/${wrongCode()}/`, undefined, { token: henry.access })).status).toBe(404);
    for (let i = 0; i < 5; i++) expect((await apiB.post(`/api/play/tournament/${wrongCode()}/`, undefined, { token: henry.access })).status).toBe(404);
    expect((await apiA.post(`/api/play/lobby/${wrongCode()}/`, undefined, { token: henry.access })).status).toBe(429);
    expect((await apiB.post(`/api/play/lobby/${wrongCode()}/`, undefined, { token: henry.access })).status).toBe(429);
    await closeAll(henry);
  });
});
