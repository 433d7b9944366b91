import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http.js';
import { pump } from '../support/game.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAll, nth, player, type Player } from '../support/play.js';
import { allReceived, Arena, codesOf as allCodesOf, createTournament, envelopesOf, join, sleep, uniqueTournamentName } from './helpers.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

/** Computer players running on the node(s) of the test server (two under TEST_TWO_NODES). */
const playingBots = () => [server, server.second].reduce((n, node) => n + (node?.platform.play.bots.playing ?? 0), 0);

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const addBots = (p: Player, code: string, body: unknown = {}) => api.post(`/api/play/tournament/${code}/bots/`, body, { token: p.access });
const removeBot = (p: Player, code: string, id: number) => api.delete(`/api/play/tournament/${code}/bots/${id}/`, undefined, { token: p.access });
const computersOf = (tournament: any) => tournament.participants.filter((x: any) => x.computer);
/** The tournament's and games' events a participant received (the home page's figures come and go beside them). */
const codesOf = (p: Player) => allCodesOf(p).filter((code) => code !== 'activity-update');

/** Lets the rooms close their sockets (half a second of clock after `game_over`) before counting the computer players still playing. */
async function roomsClosed(): Promise<void> {
  await pump(server.clock, 1000);
  await sleep(50);
}

/** Moves the clock and lets the deadline work it triggered finish. */
async function advance(ms: number): Promise<void> {
  await pump(server.clock, ms, { stepMs: 250 });
  await server.platform.tournaments.settled();
  await sleep(30);
}

/**
 * Runs the tournament to its end, `p` winning each of his games by the private score API (his bot client
 * plays `hard`, but even that may lose to an easy computer player by luck).
 */
async function winEveryGame(p: Player, arena: Arena): Promise<void> {
  const finished = allReceived([p], 'tournament-finish');
  for (let won = 0; !finished();) {
    await arena.run([p], () => envelopesOf(p, 'game-start').length > won || finished());
    if (envelopesOf(p, 'game-start').length <= won) continue;
    won += 1;
    for (let goal = 0; goal < 3; goal++) expect((await internal.put(`/api/private/match/score/${p.id}/`, {})).status).toBe(200);
  }
}

describe('computer players in a tournament', () => {
  it('the creator adds them to empty seats and takes them back before the start; everything else is refused', async () => {
    const alice = await player(server, api);
    const bob = await player(server, api);
    const tournament = await createTournament(api, alice, { name: uniqueTournamentName('Bots'), size: 4 });
    const { code } = tournament;

    const added = await addBots(alice, code, { level: 'easy' });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ id: tournament.id, is_started: false });
    const [computer] = computersOf(added.body);
    expect(computer).toEqual({
      id: expect.any(Number), username: expect.stringMatching(/^Bot\d{6}$/), profile_picture: expect.any(Object), creator: false,
      join_at: expect.any(String), computer: 'easy',
    });
    // People carry no `computer` key.
    expect(added.body.participants[0]).not.toHaveProperty('computer');
    expect(await server.platform.play.bots.isBot(computer.id)).toBe(true);
    await alice.stream.waitFor((events) => events.some((e) => e.event === 'tournament-join'));
    expect(codesOf(alice)).toEqual(['tournament-join']);
    expect(nth(alice, 'tournament-join').data).toMatchObject({ id: computer.id, computer: 'easy', still_in: true, creator: false });

    await join(api, bob, code);
    expect((await addBots(bob, code)).body).toEqual({ detail: 'Only the tournament creator can add computer players.' });
    expect((await removeBot(bob, code, computer.id)).body).toEqual({ detail: 'Only the tournament creator can remove computer players.' });
    const stranger = await player(server, api);
    expect((await addBots(stranger, code)).body).toEqual({ detail: 'You do not belong to this tournament.' });
    expect((await addBots(stranger, '99999')).status).toBe(403);
    const guest = await player(server, api, { guest: true });
    expect((await addBots(guest, code)).body).toEqual({ detail: 'Guest users cannot perform this action.' });

    expect((await addBots(alice, code, { count: 2 })).body).toEqual({ count: ['Only 1 seat is free.'] });
    expect((await addBots(alice, code, { count: 0 })).body).toEqual({ count: ['Ensure this value is greater than or equal to 1.'] });
    expect((await addBots(alice, code, { level: 'expert' })).body).toEqual({ level: ["Level must be 'easy', 'medium' or 'hard'."] });
    expect((await removeBot(alice, code, bob.id)).body).toEqual({ detail: 'This computer player does not belong to this tournament.' });

    // Taken back: `tournament-leave` like any departure, the seat is free again.
    expect((await removeBot(alice, code, computer.id)).status).toBe(204);
    await bob.stream.waitFor((events) => events.some((e) => e.event === 'tournament-leave'));
    expect(envelopesOf(bob, 'tournament-leave')[0].data).toEqual({ id: computer.id });
    expect((await removeBot(alice, code, computer.id)).status).toBe(404);
    await closeAll(alice, bob, stranger, guest);
  });

  it('the last person leaving takes the computer players with the tournament; they are free again', async () => {
    const lonely = await player(server, api);
    const small = await createTournament(api, lonely, { name: uniqueTournamentName('Bots'), size: 4 });
    const { body } = await addBots(lonely, small.code, { count: 2 });
    const ids = computersOf(body).map((x: any) => x.id);
    expect(await server.platform.play.bots.isBot(ids[0])).toBe(true);
    expect((await api.delete(`/api/play/tournament/${small.code}/`, undefined, { token: lonely.access })).status).toBe(204);
    expect((await api.get('/api/play/tournament/search/?q=', { token: lonely.access })).body.results.some((t: any) => t.code === small.code)).toBe(false);
    // Its creator may create another one, and its computer players are free again.
    const next = await createTournament(api, lonely, { name: uniqueTournamentName('Bots'), size: 4 });
    const again = await addBots(lonely, next.code, { count: 2 });
    expect(again.status).toBe(201);
    expect(computersOf(again.body).map((x: any) => x.id).sort()).toEqual([...ids].sort());
    await closeAll(lonely);
  });

  it('one person and three computer players play to the end: computer players that lose leave, one plays the final', { timeout: 240_000 }, async () => {
    const ann = await player(server, api, { trophies: 2000 });
    const tournament = await createTournament(api, ann, { name: uniqueTournamentName('Solo'), size: 4 });
    const added = await addBots(ann, tournament.code, { count: 3, level: 'easy' });
    expect(added.body.is_started).toBe(true);
    const computers: number[] = computersOf(added.body).map((x: any) => x.id);

    // Ann's side is a bot client (`hard` against `easy`); her goals come from the private score API, so that she
    // wins both her games whatever the ball does.
    const arena = new Arena(server, () => ann.id);
    await winEveryGame(ann, arena);
    const final = envelopesOf(ann, 'game-start')[1];
    const finalists: number[] = [final.data.teams.a.players[0].id, final.data.teams.b.players[0].id];
    await sleep(300);
    arena.closeAll();

    expect(codesOf(ann)).toEqual([
      'tournament-join', 'tournament-join', 'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'game-start', 'tournament-match-finish', 'tournament-finish', 'profile-picture-unlocked',
    ]);
    // The final is ann against the computer player that won the other semi-final.
    const finalist = finalists.find((id) => id !== ann.id)!;
    expect(computers).toContain(finalist);
    const semis = envelopesOf(ann, 'tournament-match-finish').slice(0, 2).map((e) => e.kwargs);
    expect(semis.map((k) => k.winner).sort()).toEqual([ann.id, finalist].sort());
    expect(envelopesOf(ann, 'tournament-finish')[0].kwargs).toMatchObject({ username: ann.id });
    // Every computer player is free again (the losers left as they lost, the finalist with the tournament).
    const held = await server.platform.db.selectFrom('play_tournament_records').select('user_id').where('connected_user_id', 'in', computers).execute();
    expect(held).toEqual([]);
    await roomsClosed();
    expect(playingBots()).toBe(0);
    await closeAll(ann);
  });

  it('a person beaten in the semi-final watches two computer players play the final to the end', { timeout: 240_000 }, async () => {
    const ben = await player(server, api, { trophies: 2000 });
    const tournament = await createTournament(api, ben, { name: uniqueTournamentName('Solo'), size: 4 });
    const added = await addBots(ben, tournament.code, { count: 3, level: 'easy' });
    const computers: number[] = computersOf(added.body).map((x: any) => x.id);

    // Ben is beaten in his semi-final: his computer opponent is credited three goals (the private score API).
    // A paddle that never moves is not enough: an easy computer player may miss the ball three times first.
    const arena = new Arena(server, () => -1);
    await arena.run([ben], () => codesOf(ben).includes('game-start'));
    const semi = envelopesOf(ben, 'game-start')[0].data;
    const opponent = (['a', 'b'] as const).flatMap((team) => semi.teams[team].players.map((p: { id: number }) => p.id)).find((id: number) => id !== ben.id);
    expect(computers).toContain(opponent);
    for (let goal = 0; goal < 3; goal++) expect((await internal.put(`/api/private/match/score/${opponent}/`, {})).status).toBe(200);
    await arena.run([ben], allReceived([ben], 'tournament-finish'));
    await sleep(300);
    arena.closeAll();

    expect(codesOf(ben)).toEqual([
      'tournament-join', 'tournament-join', 'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'tournament-available-spectate-matches', 'tournament-match-finish', 'tournament-finish',
    ]);
    const final = envelopesOf(ben, 'tournament-match-finish')[2].kwargs;
    expect(computers).toContain(final.winner);
    expect(computers).toContain(final.looser);
    expect(envelopesOf(ben, 'tournament-finish')[0].kwargs.username).toBe(final.winner);
    // The archive has the final between the two computer players.
    const archived = (await api.get(`/api/game/tournaments/${tournament.id}/`, { token: ben.access })).body;
    expect(JSON.stringify(archived)).toContain(String(final.winner));
    await closeAll(ben);
  });

  it('the 20 s rule counts computer players: the countdown starts and stops with them, then the tournament starts', { timeout: 240_000 }, async () => {
    const cleo = await player(server, api, { trophies: 2000 });
    const tournament = await createTournament(api, cleo, { name: uniqueTournamentName('Eight'), size: 8 });
    const six = await addBots(cleo, tournament.code, { count: 6, level: 'easy' });
    expect(six.status).toBe(201);
    // Seven of eight (the threshold): the countdown, announced to the person.
    expect(six.body.start_at).toEqual(expect.any(String));
    await cleo.stream.waitFor((events) => events.some((e) => e.event === 'tournament-start-at'));
    const computers: number[] = computersOf(six.body).map((x: any) => x.id);
    expect((await removeBot(cleo, tournament.code, computers[0])).status).toBe(204);
    await cleo.stream.waitFor((events) => events.some((e) => e.event === 'tournament-start-cancel'));
    expect((await addBots(cleo, tournament.code, { level: 'easy' })).body.start_at).toEqual(expect.any(String));
    await cleo.stream.waitFor((events) => events.filter((e) => e.event === 'tournament-start-at').length === 2);

    await advance(19_000);
    expect(codesOf(cleo)).not.toContain('tournament-start');
    await advance(1500);
    await cleo.stream.waitFor((events) => events.some((e) => e.event === 'tournament-start'));
    const started = envelopesOf(cleo, 'tournament-start')[0].data;
    expect(started.participants).toHaveLength(7);
    expect(computersOf(started)).toHaveLength(6);
    expect((await addBots(cleo, tournament.code)).body).toEqual({ detail: 'Tournament already started.' });
    expect((await removeBot(cleo, tournament.code, computers[1])).body).toEqual({ detail: 'Tournament already started.' });
    // A person in a started tournament cannot play the computer meanwhile.
    expect((await api.post('/api/play/computer/', {}, { token: cleo.access })).body).toEqual({ detail: 'You are already in a tournament.' });

    // Seed 1 (the most trophies) has a bye; the computer players play their three quarter-finals, then cleo plays on and wins.
    const arena = new Arena(server, () => cleo.id);
    await winEveryGame(cleo, arena);
    await sleep(300);
    arena.closeAll();
    expect(envelopesOf(cleo, 'tournament-finish')[0].kwargs.username).toBe(cleo.id);
    await roomsClosed();
    expect(playingBots()).toBe(0);
    await closeAll(cleo);
  });
});
