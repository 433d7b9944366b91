import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { befriend } from '../support/social.js';
import { pump } from '../support/game.js';
import { closeAll, dropStream, expectSequence, nth, pastGrace, player, type Player } from '../support/play.js';
import { codesOf, createTournament, envelopesOf, join, players, sleep, uniqueTournamentName } from './helpers.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  // A reconnection grace shorter than the 3 s between the start and the first games: a stream closed after the start can eliminate before them.
  server = await startTestServer({ env: { STREAM_GRACE_MS: '1000' } });
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const REGISTER = { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' };
const tournamentEvent = (code: string, data: unknown, kwargs: unknown = null, message = '') =>
  ({ service: 'tournament', event_code: code, type: 'event', message, target: null, data, kwargs });

/** Moves the clock and lets the deadline work it triggered finish. */
async function advance(ms: number): Promise<void> {
  await pump(server.clock, ms, { stepMs: 250 });
  await server.platform.tournaments.settled();
  await sleep(30);
}

/** Moves the clock in 250 ms steps until `check` holds (deadline work and game timeouts run in between). */
async function until(check: () => boolean, maxMs = 120_000): Promise<void> {
  await pump(server.clock, maxMs, { stepMs: 250, until: check });
  await server.platform.tournaments.settled();
  expect(check(), 'the expected state was never reached').toBe(true);
}

const has = (p: Player, code: string, count = 1) => codesOf(p).filter((c) => c === code).length >= count;

/** The user's team scores until the game ends 3–0 (the internal score endpoint). */
async function win(p: Player): Promise<void> {
  for (let goal = 0; goal < 3; goal++) expect((await internal.put(`/api/private/match/score/${p.id}/`, {})).status).toBe(200);
}

const waitFor = (p: Player, code: string, count = 1) => p.stream.waitFor((events) => events.filter((e) => e.event === code).length >= count);

describe('creating, reading and the generic answers', () => {
  it('validates the body with the exact texts, refuses guests and a second tournament, answers 200 on GET', async () => {
    const alice = await player(server, api);
    const post = (body: unknown, who: Player = alice) => api.post('/api/play/tournament/', body, { token: who.access });
    expect((await post({})).body).toEqual({ name: ['This field is required.'], size: ['This field is required.'] });
    expect((await post({ name: 'x'.repeat(51), size: 5 })).body).toEqual({ name: ['Ensure this field has no more than 50 characters.'], size: ['Tournament size must be 16, 4 or 8.'] });
    expect((await post({ name: '  ', size: 'eight', private: 'maybe' })).body).toEqual({
      name: ['This field may not be blank.'], size: ['A valid integer is required.'], private: ['Must be a valid boolean.'],
    });
    expect((await post({ name: null, size: null })).body).toEqual({ name: ['This field may not be null.'], size: ['This field may not be null.'] });
    const none = await api.get('/api/play/tournament/', { token: alice.access });
    expect([none.status, none.body]).toEqual([404, { detail: 'You do not belong to any tournament.' }]);

    const name = uniqueTournamentName();
    const created = await post({ name: `  ${name} `, size: '8', private: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, size: 8, private: true, is_started: false, start_at: null, created_by: alice.id });
    expect(created.body).not.toHaveProperty('matches');
    const mine = await api.get('/api/play/tournament/', { token: alice.access });
    expect([mine.status, mine.body]).toEqual([200, created.body]);

    const bob = await player(server, api);
    expect((await post({ name, size: 4 }, bob)).body).toEqual({ name: ['tournament with this name already exists.'] });
    const second = await post({ name: uniqueTournamentName(), size: 4 });
    expect([second.status, second.body]).toEqual([403, { detail: 'You cannot create more than one tournament at the same time.' }]);
    const guest = await player(server, api, { guest: true });
    expect((await post({ name: 'guest cup', size: 4 }, guest)).body).toEqual({ detail: 'Guest users cannot perform this action.' });
    expect((await api.get('/api/play/tournament/', { token: guest.access })).status).toBe(404);
    for (const method of ['PATCH', 'PUT'] as const) {
      expect((await api.request(method, '/api/play/tournament/', { token: alice.access, body: {} })).body).toEqual({ detail: `Method "${method}" not allowed.` });
      expect((await api.request(method, `/api/play/tournament/${created.body.code}/`, { token: alice.access, body: {} })).status).toBe(405);
    }
    // Every play endpoint needs an SSE stream.
    await dropStream(server, alice);
    await pastGrace(server);
    const offline = await api.get('/api/play/tournament/', { token: alice.access });
    expect([offline.status, offline.body.code]).toEqual([401, 'sse_connection_required']);
    // Her stream closed: she left her open tournament, which was deleted with its last record.
    expect((await api.post(`/api/play/tournament/${created.body.code}/`, undefined, { token: bob.access })).status).toBe(404);
    await closeAll(bob, guest);
  });
});

describe('joining, leaving, banning, inviting, messages', () => {
  it('join answers the participant; the join checks in order; leave and ban with their events', async () => {
    const [a, b, c, d] = await players(server, api, 4);
    const t = await createTournament(api, a, { name: uniqueTournamentName(), size: 8 });
    const unknown = await api.post('/api/play/tournament/abcd/', undefined, { token: b.access });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'Tournament not found.' }]);
    const joined = await join(api, b, t.code);
    expect(joined).toEqual({
      id: b.id, username: b.username, profile_picture: REGISTER, tournament: t.id, stage: null, seed: null, still_in: true, creator: false, join_at: expect.any(String),
    });
    expect((await api.post(`/api/play/tournament/${t.code}/`, undefined, { token: b.access })).body).toEqual({ detail: 'You already joined this tournament.' });
    await join(api, c, t.code);
    await expectSequence(a, ['tournament-join', 'tournament-join']);
    expect(nth(a, 'tournament-join')).toEqual(tournamentEvent('tournament-join', joined, { username: b.id }, `${b.username} have joined the tournament.`));

    // Messages: echo to the author, the text to the others.
    const bad = await api.post(`/api/play/tournament/${t.code}/message/`, { content: '   ' }, { token: b.access });
    expect([bad.status, bad.body]).toEqual([400, { content: ['This field may not be blank.'] }]);
    expect((await api.post(`/api/play/tournament/${t.code}/message/`, { content: 'hi' }, { token: d.access })).body).toEqual({ detail: 'You do not belong to this tournament.' });
    const said = await api.post(`/api/play/tournament/${t.code}/message/`, { content: ' good luck ' }, { token: b.access });
    expect([said.status, said.body]).toEqual([201, { id: b.id, content: 'good luck' }]);
    await expectSequence(c, ['tournament-message']);
    expect(nth(c, 'tournament-message')).toEqual(tournamentEvent('tournament-message', {}, { username: b.id, message: 'good luck' }, `${b.username}: good luck`));

    // Ban: only the creator, only a participant; the banned user is told first, the others (caller included) see a leave.
    expect((await api.delete(`/api/play/tournament/${t.code}/ban/${a.id}/`, undefined, { token: a.access })).body).toEqual({ detail: 'You cannot ban yourself.' });
    expect((await api.delete(`/api/play/tournament/${t.code}/ban/${c.id}/`, undefined, { token: b.access })).body).toEqual({ detail: 'Only the tournament creator can ban a user.' });
    expect((await api.delete(`/api/play/tournament/${t.code}/ban/${d.id}/`, undefined, { token: a.access })).body).toEqual({ detail: 'This user does not belong to this tournament.' });
    expect((await api.delete(`/api/play/tournament/${t.code}/ban/${c.id}/`, undefined, { token: a.access })).status).toBe(204);
    await expectSequence(c, ['tournament-message', 'tournament-banned']);
    expect(nth(c, 'tournament-banned')).toEqual(tournamentEvent('tournament-banned', {}, null, 'You have been banned from this tournament.'));
    await expectSequence(a, ['tournament-join', 'tournament-join', 'tournament-message', 'tournament-leave']);
    expect(nth(a, 'tournament-leave')).toEqual(tournamentEvent('tournament-leave', { id: c.id }, { username: c.id }, `${c.username} have left the tournament.`));
    expect((await api.post(`/api/play/tournament/${t.code}/`, undefined, { token: c.access })).body).toEqual({ detail: 'Tournament not found.' });

    // Invitations: friends only, the creator only in a private tournament, not to someone inside.
    expect((await api.post(`/api/play/tournament/${t.code}/invite/${b.id}/`, undefined, { token: b.access })).body).toEqual({ detail: 'You cannot invite yourself.' });
    expect((await api.post(`/api/play/tournament/${t.code}/invite/${b.id}/`, undefined, { token: a.access })).body).toEqual({ detail: 'This user is already in this tournament.' });
    expect((await api.post(`/api/play/tournament/${t.code}/invite/${d.id}/`, undefined, { token: a.access })).body).toEqual({ detail: 'You can only invite friends.' });
    expect((await api.post(`/api/play/tournament/${t.code}/invite/${a.id}/`, undefined, { token: d.access })).body).toEqual({ detail: 'You do not belong to this tournament.' });
    await befriend(api, b, d);
    expect((await api.post(`/api/play/tournament/${t.code}/invite/${d.id}/`, undefined, { token: b.access })).status).toBe(204);
    await waitFor(d, 'invite-tournament');
    expect(envelopesOf(d, 'invite-tournament')[0]).toEqual({
      service: 'invite', event_code: 'invite-tournament', type: 'notification', message: `${b.username} inviting you to join his tournament.`,
      target: [{ url: `/tournament/${t.code}`, type: 'url', method: null, display_name: 'join', display_icon: null }],
      data: { id: b.id, code: t.code }, kwargs: { username: b.id },
    });

    // The creator leaves: the tournament keeps its creator; nobody can ban; he cannot create another one.
    expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: a.access })).status).toBe(204);
    expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: a.access })).body).toEqual({ detail: 'You do not belong to this tournament.' });
    expect((await api.post('/api/play/tournament/', { name: uniqueTournamentName(), size: 4 }, { token: a.access })).status).toBe(403);
    await waitFor(b, 'tournament-leave', 2);
    const back = await join(api, a, t.code);
    expect(back.creator).toBe(true);
    // The last record leaving deletes the tournament.
    for (const p of [a, b]) expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: p.access })).status).toBe(204);
    expect((await api.post(`/api/play/tournament/${t.code}/`, undefined, { token: d.access })).status).toBe(404);
    await closeAll(a, b, c, d);
  });

  it('search: open tournaments by name, public or the caller\'s, not the banned or the blocked', async () => {
    const [a, b, c] = await players(server, api, 3);
    const tag = `Srch${Math.random().toString(36).slice(2, 7)}`;
    const open = await createTournament(api, a, { name: `${tag} Open`, size: 4 });
    const hidden = await createTournament(api, b, { name: `${tag} hidden`, size: 8, private: true });
    const search = async (who: Player, q: string, extra = '') => (await api.get(`/api/play/tournament/search/?q=${encodeURIComponent(q)}${extra}`, { token: who.access })).body;
    const page = await search(c, tag.toLowerCase());
    expect(page).toEqual({
      count: 1, next: null, previous: null,
      results: [{ id: open.id, name: `${tag} Open`, code: open.code, private: false, n_participants: 1, size: 4, created_by: a.username }],
    });
    expect((await search(b, tag)).results.map((r: any) => r.code)).toEqual([open.code, hidden.code]);
    const limited = await search(b, tag, '&limit=1');
    expect([limited.count, limited.results.length, typeof limited.next]).toEqual([2, 1, 'string']);
    // A block either way hides the creator's tournaments.
    expect((await api.post('/api/users/me/blocked/', { user_id: a.id }, { token: c.access })).status).toBe(201);
    expect((await search(c, tag)).count).toBe(0);
    expect((await api.post(`/api/play/tournament/${open.code}/`, undefined, { token: c.access })).status).toBe(404);
    await closeAll(a, b, c);
  });

  it('the block rule: the creator blocking a participant removes him without a ban', async () => {
    const [a, b, c] = await players(server, api, 3);
    const t = await createTournament(api, a, { name: uniqueTournamentName(), size: 4 });
    await join(api, b, t.code);
    await join(api, c, t.code);
    const block = await api.post('/api/users/me/blocked/', { user_id: b.id }, { token: a.access });
    expect(block.status).toBe(201);
    await expectSequence(b, ['tournament-join', 'tournament-banned']);
    await expectSequence(c, ['tournament-leave']);
    expect((await api.get('/api/play/tournament/', { token: b.access })).status).toBe(404);
    expect((await api.delete(`/api/users/me/blocked/${block.body.id}/`, undefined, { token: a.access })).status).toBe(204);
    await join(api, b, t.code);
    await closeAll(a, b, c);
  });
});

describe('the one-activity rule', () => {
  it('an idle participant leaves his open tournament for a queue; a participant still in a started one is refused', async () => {
    const [a, b, c, d] = await players(server, api, 4);
    const t = await createTournament(api, a, { name: uniqueTournamentName(), size: 4 });
    await join(api, b, t.code);
    expect((await api.post('/api/play/duel/', undefined, { token: b.access })).status).toBe(201);
    await expectSequence(a, ['tournament-join', 'tournament-leave']);
    expect((await api.delete('/api/play/duel/', undefined, { token: b.access })).status).toBe(204);
    for (const p of [b, c, d]) await join(api, p, t.code);
    await expectSequence(a, ['tournament-join', 'tournament-leave', 'tournament-join', 'tournament-join', 'tournament-join', 'tournament-start']);
    expect((await api.post(`/api/play/tournament/${t.code}/`, undefined, { token: (await player(server, api)).access })).body).toEqual({ detail: 'Tournament already started.' });
    for (const path of ['/api/play/duel/', '/api/play/lobby/']) {
      const refused = await api.post(path, { game_mode: 'clash' }, { token: a.access });
      expect([refused.status, refused.body]).toEqual([409, { detail: 'You are already in a tournament.' }]);
    }
    expect((await api.post('/api/play/tournament/', { name: uniqueTournamentName(), size: 4 }, { token: a.access })).status).toBe(409);
    expect((await api.delete(`/api/play/tournament/${t.code}/ban/${b.id}/`, undefined, { token: a.access })).body).toEqual({ detail: 'You cannot ban after the tournament start.' });
    await closeAll(a, b, c, d);
    await advance(30_000);
  });
});

describe('the start at 80 % and its cancel (size 8)', () => {
  it('the 7th join starts a 20 s countdown, a drop below 7 cancels it, the next 7th join starts it again; 20 s later the bracket has a bye', { timeout: 60_000 }, async () => {
    const all = await players(server, api, 8);
    const name = uniqueTournamentName();
    const t = await createTournament(api, all[0], { name, size: 8 });
    for (const p of all.slice(1, 7)) await join(api, p, t.code);
    await waitFor(all[6], 'tournament-start-at');
    const at = envelopesOf(all[6], 'tournament-start-at')[0];
    expect(at).toEqual(tournamentEvent('tournament-start-at', { id: t.id, start_at: expect.any(String) }, { name }, `Tournament ${name} start in 20 seconds.`));
    expect(Date.parse(at.data.start_at)).toBe(server.clock.now() + 20_000);
    expect((await api.get('/api/play/tournament/', { token: all[0].access })).body.start_at).toBe(at.data.start_at);
    expect(codesOf(all[6])).toEqual(['tournament-start-at']);
    await sleep(100);
    expect(codesOf(all[0])).toEqual([...Array(6).fill('tournament-join'), 'tournament-start-at']);

    // 10 s later one leaves: 6 < 7, the countdown is cancelled for everyone left.
    await advance(10_000);
    expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: all[3].access })).status).toBe(204);
    await waitFor(all[0], 'tournament-start-cancel');
    await waitFor(all[6], 'tournament-start-cancel');
    expect(envelopesOf(all[0], 'tournament-start-cancel')[0]).toEqual(tournamentEvent('tournament-start-cancel', { id: t.id, start_at: null }));
    expect(codesOf(all[6]).slice(1)).toEqual(['tournament-leave', 'tournament-start-cancel']);
    expect((await api.get('/api/play/tournament/', { token: all[0].access })).body.start_at).toBeNull();
    await advance(15_000);
    expect((await api.get('/api/play/tournament/', { token: all[0].access })).body.is_started).toBe(false);

    // The 7th participant again: a new countdown from now, then the start with 7.
    await join(api, all[7], t.code);
    await waitFor(all[7], 'tournament-start-at');
    const again = envelopesOf(all[7], 'tournament-start-at')[0];
    expect(Date.parse(again.data.start_at)).toBe(server.clock.now() + 20_000);
    await advance(19_000);
    expect(codesOf(all[7])).toEqual(['tournament-start-at']);
    await advance(1000);
    await waitFor(all[7], 'tournament-start');
    const seven = all.filter((_, i) => i !== 3);
    const bracket = envelopesOf(all[7], 'tournament-start')[0].data;
    expect(bracket.start_at).toBe(again.data.start_at);
    const seed = (u: any) => (u ? seven.findIndex((p) => p.id === u.id) + 1 : null);
    expect(bracket.matches['quarter-final'].map((m: any) => [m.n, seed(m.user_1), seed(m.user_2)])).toEqual([[1, 1, null], [2, 4, 5], [3, 2, 7], [4, 3, 6]]);
    expect(bracket.matches['semi-final']).toEqual([]);

    // 3 s later: the bye first (3–0 against nobody), then the games in pair order: 2v7, 3v6, 4v5.
    await advance(3000);
    for (const p of seven.slice(1)) await waitFor(p, 'game-start');
    const bye = envelopesOf(all[7], 'tournament-match-finish')[0];
    expect(bye.kwargs).toEqual({ winner: seven[0].id, looser: 'nobody', score_winner: 3, score_looser: 0, finish_reason: ' (yeah, there just was no game)' });
    expect(bye.message).toBe(`${seven[0].username} win against nobody 3-0 (yeah, there just was no game).`);
    expect(bye.data.matches['quarter-final'][0]).toMatchObject({ n: 1, finished: true, winner: seven[0].id, score_winner: null, finish_reason: null });
    const gameOf = (p: Player) => envelopesOf(p, 'game-start')[0].data;
    expect([gameOf(seven[1]).tournament_n, gameOf(seven[2]).tournament_n, gameOf(seven[3]).tournament_n]).toEqual([3, 4, 2]);
    expect(gameOf(seven[1]).id).toBeLessThan(gameOf(seven[2]).id);
    expect(gameOf(seven[2]).id).toBeLessThan(gameOf(seven[3]).id);
    expect(gameOf(seven[1]).teams.b.players[0].id).toBe(seven[6].id);
    expect(codesOf(seven[0])).not.toContain('game-start');

    // Nobody connects to the games: after 5 s the first player wins each (players-timeout), and so on to the end.
    await until(() => has(seven[0], 'tournament-match-finish', 4));
    const timeout = envelopesOf(seven[0], 'tournament-match-finish')[1];
    expect(timeout.kwargs).toMatchObject({ score_winner: 0, score_looser: 0, finish_reason: ' (obviously he played against nobody, not too complicated to win)' });
    await until(() => has(seven[6], 'tournament-available-spectate-matches'));
    expect(Object.values(envelopesOf(seven[6], 'tournament-available-spectate-matches')[0].data)).toHaveLength(2);
    await until(() => seven.every((p) => has(p, 'tournament-finish')));
    expect(envelopesOf(seven[6], 'tournament-finish')[0].kwargs).toEqual({ name, username: seven[0].id });
    // The one who left before the start heard of nothing after his leave.
    expect(codesOf(all[3])).toEqual(['tournament-join', 'tournament-join', 'tournament-join', 'tournament-start-at']);
    await closeAll(...all);
  });

  it('size 16: a leave that keeps 13 participants cancels nothing; 13 start with three byes', { timeout: 60_000 }, async () => {
    const all = await players(server, api, 14);
    const t = await createTournament(api, all[0], { name: uniqueTournamentName(), size: 16 });
    for (const p of all.slice(1)) await join(api, p, t.code);
    await waitFor(all[12], 'tournament-start-at');
    await waitFor(all[0], 'tournament-join', 13);
    expect(codesOf(all[13])).toEqual([]);
    expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: all[13].access })).status).toBe(204);
    await advance(20_000);
    await waitFor(all[12], 'tournament-start');
    expect(codesOf(all[12])).toEqual(['tournament-start-at', 'tournament-join', 'tournament-leave', 'tournament-start']);
    const bracket = envelopesOf(all[0], 'tournament-start')[0].data;
    const seed = (u: any) => (u ? all.findIndex((p) => p.id === u.id) + 1 : null);
    expect(bracket.matches['round-of-16'].map((m: any) => [seed(m.user_1), seed(m.user_2)])).toEqual([
      [1, null], [8, 9], [4, 13], [5, 12], [2, null], [7, 10], [3, null], [6, 11],
    ]);
    // Launch order is pair order: byes of seeds 1, 2, 3 come first in that order.
    await until(() => has(all[0], 'tournament-match-finish', 3));
    expect(envelopesOf(all[0], 'tournament-match-finish').slice(0, 3).map((e: any) => seed({ id: e.kwargs.winner }))).toEqual([1, 2, 3]);
    await closeAll(...all);
    await advance(60_000);
  });
});

describe('leaving during a tournament', () => {
  it('a leaver is eliminated at once and hears nothing more; a finalist who left gives a walkover; a reconnection receives the end', { timeout: 60_000 }, async () => {
    const [p1, p2, p3, p4] = await players(server, api, 4);
    const name = uniqueTournamentName();
    const t = await createTournament(api, p1, { name, size: 4 });
    for (const p of [p2, p3, p4]) await join(api, p, t.code);
    await waitFor(p4, 'tournament-start');
    await advance(3000);
    for (const p of [p1, p2, p3, p4]) await waitFor(p, 'game-start');

    // P4 leaves during his semi-final against P1: out at once, the game goes on.
    expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: p4.access })).status).toBe(204);
    expect((await api.get('/api/play/tournament/', { token: p4.access })).status).toBe(404);
    expect((await api.post(`/api/play/tournament/${t.code}/message/`, { content: 'hey' }, { token: p4.access })).status).toBe(403);
    await win(p1);
    await win(p2);
    await waitFor(p1, 'tournament-match-finish', 2);
    const second = envelopesOf(p1, 'tournament-match-finish')[1].data;
    const p4Entry = second.matches['semi-final'][0].user_2;
    expect(p4Entry).toMatchObject({ id: p4.id, still_in: false });

    // P1, a finalist, leaves before the final is launched: the final is a walkover for P2.
    expect((await api.delete(`/api/play/tournament/${t.code}/`, undefined, { token: p1.access })).status).toBe(204);
    // P4 reconnects: 201, still eliminated, no event to anyone.
    const back = await api.post(`/api/play/tournament/${t.code}/`, undefined, { token: p4.access });
    expect([back.status, back.body.still_in, back.body.seed]).toEqual([201, false, 4]);
    expect((await api.get('/api/play/tournament/', { token: p4.access })).body.is_started).toBe(true);
    await advance(3000);
    for (const p of [p2, p3, p4]) await waitFor(p, 'tournament-finish');
    await sleep(100);

    const walkover = envelopesOf(p2, 'tournament-match-finish')[2];
    expect(walkover.kwargs).toEqual({ winner: p2.id, looser: 'nobody', score_winner: 3, score_looser: 0, finish_reason: ' (yeah, there just was no game)' });
    expect(walkover.data.matches.final[0]).toMatchObject({ n: 3, winner: p2.id, finished: true, finish_reason: null });
    expect(walkover.data.matches.final[0].user_1).toMatchObject({ id: p1.id, still_in: false });
    expect(codesOf(p1)).toEqual([
      'tournament-join', 'tournament-join', 'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
    ]);
    expect(codesOf(p2)).toEqual([
      'tournament-join', 'tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish',
      'tournament-match-finish', 'tournament-finish', 'profile-picture-unlocked',
    ]);
    expect(codesOf(p3)).toEqual(['tournament-join', 'tournament-start', 'game-start', 'tournament-match-finish', 'tournament-match-finish', 'tournament-match-finish', 'tournament-finish']);
    expect(codesOf(p4)).toEqual(['tournament-start', 'game-start', 'tournament-match-finish', 'tournament-finish']);
    expect(envelopesOf(p4, 'tournament-finish')[0].kwargs).toEqual({ name, username: p2.id });

    // The archive shows the walkover as a match without a loser.
    const archived = (await api.get(`/api/game/tournaments/${t.id}/`, { token: p1.access })).body;
    expect(archived.matches.final).toEqual([expect.objectContaining({ n: 3, finish_reason: 'game-not-played', looser: null, winner: expect.objectContaining({ id: p2.id }) })]);
    expect(archived.matches['semi-final'].map((m: any) => m.winner.id)).toEqual([p1.id, p2.id]);
    const stats = (await api.get('/api/users/me/stats/', { token: p2.access })).body;
    expect(stats.find((r: any) => r.game_mode === 'tournament')).toMatchObject({ tournament_wins: 1, game_played: 1 });
    await closeAll(p1, p2, p3, p4);
  });

  it('a stream closing after the start eliminates silently: no game for a lone eliminated seed, then a walkover against the empty slot', { timeout: 60_000 }, async () => {
    const all = await players(server, api, 7);
    const t = await createTournament(api, all[0], { name: uniqueTournamentName(), size: 8 });
    for (const p of all.slice(1)) await join(api, p, t.code);
    await advance(20_000);
    for (const p of all) await waitFor(p, 'tournament-start');
    // Seed 1 (with a bye) loses his stream before the launch: eliminated, silently.
    await dropStream(server, all[0]);
    await pastGrace(server);
    await advance(2000);
    await waitFor(all[6], 'tournament-match-finish');
    const noGame = envelopesOf(all[6], 'tournament-match-finish')[0];
    expect(noGame.kwargs).toEqual({ winner: null, looser: 'nobody', score_winner: 0, score_looser: 0, finish_reason: ' (there was no game, so nobody won)' });
    expect(noGame.message).toBe('DeleteUser win against nobody 0-0 (there was no game, so nobody won).');
    expect(noGame.data.matches['quarter-final'][0]).not.toHaveProperty('winner');
    expect(noGame.data.matches['quarter-final'][0]).toMatchObject({ n: 1, finished: true, user_2: null });
    // Nobody connects to the three games: user_1 wins each after 5 s; 3 s later the semi-final n3 has no user_1: a walkover for seed 4.
    await until(() => has(all[3], 'tournament-match-finish', 5));
    const walkover = envelopesOf(all[3], 'tournament-match-finish')[4];
    expect(walkover.kwargs).toMatchObject({ winner: all[3].id, looser: 'nobody', score_winner: 3, finish_reason: ' (yeah, there just was no game)' });
    expect(walkover.data.matches['semi-final'][0]).toMatchObject({ n: 3, user_1: null, winner: all[3].id });
    await until(() => all.slice(1).every((p) => has(p, 'tournament-finish')));
    expect(envelopesOf(all[6], 'tournament-finish')[0].kwargs.username).toBe(all[3].id);
    expect(codesOf(all[0])).toEqual([...Array(6).fill('tournament-join'), 'tournament-start-at', 'tournament-start']);
    expect((await api.get('/api/play/tournament/', { token: all[3].access })).status).toBe(404);
    await closeAll(...all);
  });
});

describe('the bracket while its games are played', () => {
  it('GET shows each running game\'s score so far (live_score, by user_1 and user_2); a finished game has none; events carry none', { timeout: 60_000 }, async () => {
    const all = await players(server, api, 4);
    const [p1] = all;
    const t = await createTournament(api, p1, { name: uniqueTournamentName(), size: 4 });
    for (const p of all.slice(1)) await join(api, p, t.code);
    await waitFor(all[3], 'tournament-start');
    await advance(3000);
    for (const p of all) await waitFor(p, 'game-start');

    const semis = async () => (await api.get('/api/play/tournament/', { token: p1.access })).body.matches['semi-final'] as any[];
    const mine = (list: any[]) => list.find((m) => m.user_1?.id === p1.id || m.user_2?.id === p1.id);
    const other = (list: any[]) => list.find((m) => m !== mine(list));
    expect((await semis()).map((m) => m.live_score)).toEqual([{ user_1: 0, user_2: 0 }, { user_1: 0, user_2: 0 }]);

    expect((await internal.put(`/api/private/match/score/${p1.id}/`, {})).status).toBe(200);
    const scored = await semis();
    const p1Side = mine(scored).user_1.id === p1.id ? 'user_1' : 'user_2';
    expect(mine(scored).live_score).toEqual(p1Side === 'user_1' ? { user_1: 1, user_2: 0 } : { user_1: 0, user_2: 1 });
    expect(other(scored).live_score).toEqual({ user_1: 0, user_2: 0 });

    // P1's semi-final ends: its slot shows the result, not a live score; the other one is still being played.
    for (let goal = 1; goal < 3; goal++) expect((await internal.put(`/api/private/match/score/${p1.id}/`, {})).status).toBe(200);
    await waitFor(p1, 'tournament-match-finish');
    const after = await semis();
    expect(mine(after)).toMatchObject({ finished: true, winner: p1.id, score_winner: 3 });
    expect(mine(after).live_score).toBeUndefined();
    expect(other(after).live_score).toEqual({ user_1: 0, user_2: 0 });
    for (const match of envelopesOf(p1, 'tournament-match-finish')[0].data.matches['semi-final']) expect(match.live_score).toBeUndefined();
    await closeAll(...all);
    await advance(60_000);
  });
});
