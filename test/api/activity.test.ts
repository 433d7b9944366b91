import { describe, expect, it } from 'vitest';
import {
  activityEvents, addTrophies, counts, countsBecome, eventuallyOnClock, leave, liveCodes, liveMatch, quietCounts, settledLadder,
} from '../support/activity.js';
import { useTestServer } from '../support/fixture.js';
import { GameSocket, createMatch } from '../support/game.js';
import { createGuest, registerUser, type TestUser } from '../support/http.js';
import { player, type Player } from '../support/play.js';
import { SseClient } from '../support/sse.js';

// No heartbeat within the suite: under TEST_TWO_NODES on SQLite, a node's heartbeat write falling inside the other
// node's presence transaction waits 5 s on the database lock, with the whole process (a stall, not a failure).
const t = useTestServer({ env: { NODE_HEARTBEAT_MS: '3600000', NODE_TTL_MS: '10800000' } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A duel between two fresh users, claimed (a match nobody claims is discarded after 5 s of clock). */
async function liveDuel(a?: TestUser, b?: TestUser) {
  const [one, two] = [a ?? await registerUser(t.api), b ?? await registerUser(t.api)];
  const match = await createMatch(t.internal, 'duel', [one], [two]);
  expect((await t.internal.get(`/api/private/match/${match.id}/${one.id}/`)).status).toBe(200);
  return { ...match, players: [one, two] };
}

async function goal(user: TestUser) {
  expect((await t.internal.put(`/api/private/match/score/${user.id}/`)).status).toBe(200);
}

async function block(blocker: TestUser, blocked: TestUser) {
  expect((await t.api.post('/api/users/me/blocked/', { user_id: blocked.id }, { token: blocker.access })).status).toBe(201);
}

/** Both reads in a row (under TEST_TWO_NODES, one from each node) list the match. */
const sees = (user: TestUser, code: string) =>
  eventuallyOnClock(t.server, async () => [await liveCodes(t.api, user), await liveCodes(t.api, user)],
    (reads) => reads.every((codes) => codes.includes(code)), `${user.username} sees ${code}`);

/** Neither node lists the match to the user, once the change that hides it has reached both (blocks). */
const hiddenFrom = (user: TestUser, code: string) =>
  eventuallyOnClock(t.server, async () => [await liveCodes(t.api, user), await liveCodes(t.api, user)],
    (reads) => reads.every((codes) => !codes.includes(code)), `${user.username} does not see ${code}`);

/** The codes `?code=` answers the user. */
const codesByCode = async (user: TestUser, code: string) =>
  (await t.api.get(`/api/game/live/?code=${code}`, { token: user.access })).body.results.map((m: { code: string }) => m.code);

async function neverSees(user: TestUser, code: string) {
  // Read from both nodes (requests alternate) once the match is listed to somebody.
  for (let i = 0; i < 4; i++) expect(await liveCodes(t.api, user)).not.toContain(code);
}

describe('GET /api/activity/', () => {
  it('is public, with or without a token, and has the four counts', async () => {
    const anonymous = await t.api.get('/api/activity/');
    expect(anonymous.status).toBe(200);
    expect(Object.keys(anonymous.body).sort()).toEqual(['live_matches', 'online', 'open_tournaments', 'playing']);
    const user = await registerUser(t.api);
    expect((await t.api.get('/api/activity/', { token: user.access })).status).toBe(200);
    expect((await t.api.get('/api/activity/', { headers: { authorization: 'Bearer nonsense' } })).status).toBe(200);
  });

  it('moves as people connect, play, open tournaments, finish and leave; lobby bots are not people', async () => {
    let expected = await quietCounts(t.server, t.api);
    const ann = await player(t.server, t.api);
    expected = await countsBecome(t.server, t.api, { ...expected, online: expected.online + 1 });

    const bob = await registerUser(t.api);
    await liveDuel(ann, bob);
    expected = await countsBecome(t.server, t.api, { ...expected, playing: expected.playing + 2, live_matches: expected.live_matches + 1 });

    const [bot] = await t.server.platform.play.bots.reserve(1);
    t.server.platform.play.bots.release([bot]);
    const human = await registerUser(t.api);
    const withBot = await t.internal.post('/api/private/match/create/', { game_mode: 'duel', teams: { a: [{ id: human.id }], b: [{ id: bot }] } });
    expect(withBot.status).toBe(201);
    await t.internal.get(`/api/private/match/${withBot.body.id}/${human.id}/`);
    expected = await countsBecome(t.server, t.api, { ...expected, playing: expected.playing + 1, live_matches: expected.live_matches + 1 });

    const host = await player(t.server, t.api);
    const secretHost = await player(t.server, t.api);
    const open = await t.api.post('/api/play/tournament/', { name: `open${host.id}`, size: 4 }, { token: host.access });
    const secret = await t.api.post('/api/play/tournament/', { name: `secret${secretHost.id}`, size: 4, private: true }, { token: secretHost.access });
    expect([open.status, secret.status]).toEqual([201, 201]);
    expected = await countsBecome(t.server, t.api, { ...expected, online: expected.online + 2, open_tournaments: expected.open_tournaments + 1 });

    // The creator leaving deletes the tournament he was alone in.
    expect((await t.api.delete(`/api/play/tournament/${open.body.code}/`, undefined, { token: host.access })).status).toBe(204);
    expected = await countsBecome(t.server, t.api, { ...expected, open_tournaments: expected.open_tournaments - 1 });

    for (let i = 0; i < 3; i++) await goal(ann);
    expected = await countsBecome(t.server, t.api, { ...expected, playing: expected.playing - 2, live_matches: expected.live_matches - 1 });

    await leave(t.server, ann);
    await countsBecome(t.server, t.api, { ...expected, online: expected.online - 1 });
    await leave(t.server, host, secretHost);
  });
});

describe('the activity-update event', () => {
  it('reaches every stream, guests too, without an id (never replayed), with the counts and the live version', async () => {
    const guest = await createGuest(t.api);
    const stream = await SseClient.open(t.server.publicUrl, guest.access);
    await quietCounts(t.server, t.api);
    const somebody = await player(t.server, t.api);
    // The event waits for the clock when one went out less than a second of clock ago (quietCounts may have caused one).
    await eventuallyOnClock(t.server, async () => activityEvents(stream).length, (n) => n > 0, 'an activity-update event');
    const event = activityEvents(stream).at(-1)!;
    expect(event.id).toBeUndefined();
    expect(event.envelope).toEqual({
      service: 'game', event_code: 'activity-update', type: 'event', message: '', target: null, kwargs: null,
      data: { online: expect.any(Number), playing: expect.any(Number), live_matches: expect.any(Number), open_tournaments: expect.any(Number), live_version: expect.any(Number) },
    });
    await leave(t.server, { ...guest, stream }, somebody);
  });

  it('comes at most once per second of the clock, the changes of that second coalesced into one event', async () => {
    const watcher = await player(t.server, t.api);
    const base = await quietCounts(t.server, t.api);
    // Nothing was sent or read within the last second: the first change goes out at once.
    t.server.clock.advance(1000);
    await sleep(50);
    const seen = activityEvents(watcher.stream).length;
    const first = await player(t.server, t.api);
    await watcher.stream.waitFor(() => activityEvents(watcher.stream).length > seen);
    expect(activityEvents(watcher.stream).at(-1)!.envelope.data.online).toBe(base.online + 1);

    const more = [await player(t.server, t.api), await player(t.server, t.api)];
    await sleep(300);
    expect(activityEvents(watcher.stream).length, 'a second event within the same second').toBe(seen + 1);

    t.server.clock.advance(1000);
    await watcher.stream.waitFor(() => activityEvents(watcher.stream).length > seen + 1);
    await sleep(300);
    expect(activityEvents(watcher.stream).length).toBe(seen + 2);
    expect(activityEvents(watcher.stream).at(-1)!.envelope.data.online).toBe(base.online + 3);
    await leave(t.server, watcher, first, ...more);
  });

  it('carries a new live version when a score or a spectator count moves, and the same figures on every node', async () => {
    // Under TEST_TWO_NODES the streams are opened on the two nodes in turn.
    const [one, two] = [await player(t.server, t.api), await player(t.server, t.api)];
    const duel = await liveDuel();
    await quietCounts(t.server, t.api);
    const latest = (p: Player) => activityEvents(p.stream).at(-1)?.envelope.data;
    const agree = () => eventuallyOnClock(t.server, async () => [latest(one), latest(two), await counts(t.api), await counts(t.api)],
      ([a, b, c, d]) => !!a && JSON.stringify(a) === JSON.stringify(b) && JSON.stringify(c) === JSON.stringify(d)
        && JSON.stringify({ ...a, live_version: undefined }) === JSON.stringify({ ...c, live_version: undefined }), 'both nodes agree');
    const [before] = await agree();

    await goal(duel.players[0]);
    const [afterGoal] = await eventuallyOnClock(t.server, agree, ([a]) => a.live_version !== before.live_version, 'a new version after the goal');
    expect({ ...afterGoal, live_version: 0 }).toEqual({ ...before, live_version: 0 });

    const watcher = await registerUser(t.api);
    const socket = await GameSocket.open(t.server.publicUrl, watcher.access, { matchCode: duel.code });
    const [afterSpectator] = await eventuallyOnClock(t.server, agree, ([a]) => a.live_version !== afterGoal.live_version, 'a new version with a spectator');
    expect(afterSpectator.live_matches).toBe(afterGoal.live_matches);
    socket.close();
    await leave(t.server, one, two);
  });
});

describe('GET /api/game/live/', () => {
  it('needs a token', async () => {
    expect((await t.api.get('/api/game/live/')).status).toBe(401);
  });

  it("takes the caller's account from an earlier request, until a change of the account reaches the node (a deletion, a guest registering)", async () => {
    const user = await registerUser(t.api);
    const read = () => t.api.get('/api/game/live/', { token: user.access });
    const around = () => t.api.get('/api/users/leaderboard/?around=me', { token: user.access });
    // Under TEST_TWO_NODES both nodes now hold the account.
    for (const answer of [await read(), await read(), await around(), await around()]) expect(answer.status).toBe(200);
    expect((await t.api.delete('/api/users/me/', { password: user.password }, { token: user.access })).status).toBe(204);
    // No clock move: the deletion's notice (over the bus between nodes) is what makes every node read it again.
    let answers: Array<{ status: number; body: any }> = [];
    for (let i = 0; i < 100; i++) {
      answers = [await read(), await read(), await around(), await around()];
      if (answers.every((a) => a.status === 401)) break;
      await sleep(20);
    }
    for (const answer of answers) expect(answer.body.code).toBe('user_not_found');

    const guest = await createGuest(t.api);
    for (const answer of [await t.api.get('/api/game/live/', { token: guest.access }), await t.api.get('/api/game/live/', { token: guest.access })]) expect(answer.status).toBe(200);
    expect((await t.api.get('/api/users/leaderboard/?around=me', { token: guest.access })).status).toBe(404);
    expect((await t.api.get('/api/users/leaderboard/?around=me', { token: guest.access })).status).toBe(404);
    const registered = await t.api.put('/api/auth/register/guest/', { username: `Reg${Date.now() % 1e6}`, password: 'Str0ng-Passw0rd!' }, { token: guest.access });
    expect(registered.status).toBe(200);
    let aroundAfter = 0;
    for (let i = 0; i < 100 && aroundAfter !== 2; i++) {
      const token = registered.body.access ?? guest.access;
      aroundAfter = [await t.api.get('/api/users/leaderboard/?around=me', { token }), await t.api.get('/api/users/leaderboard/?around=me', { token })].filter((a) => a.status === 200).length;
      if (aroundAfter !== 2) await sleep(20);
    }
    expect(aroundAfter).toBe(2);
  });

  it('lists a live match with its teams, score, start and spectators, the same whichever node answers', async () => {
    const [ann, bob, viewer] = [await registerUser(t.api), await registerUser(t.api), await registerUser(t.api)];
    const duel = await liveDuel(ann, bob);
    await sees(viewer, duel.code);
    const listed = await liveMatch(t.api, viewer, duel.code);
    expect(listed).toEqual({
      code: duel.code, match_type: '1v1', game_mode: 'duel',
      teams: {
        a: [{ id: ann.id, username: ann.username, profile_picture: expect.objectContaining({ id: expect.any(Number), small: expect.any(String) }) }],
        b: [{ id: bob.id, username: bob.username, profile_picture: expect.any(Object) }],
      },
      score: { a: 0, b: 0 }, started_at: expect.any(String), spectators: 0,
    });

    await goal(bob);
    await eventuallyOnClock(t.server, () => liveMatch(t.api, viewer, duel.code), (m) => m?.score.b === 1, 'the score');

    // Spectators are counted by the node that referees the room; every node lists them (distinct users).
    const [w1, w2] = [await registerUser(t.api), await registerUser(t.api)];
    const sockets = [
      await GameSocket.open(t.server.publicUrl, w1.access, { matchCode: duel.code }),
      await GameSocket.open(t.server.publicUrl, w1.access, { matchCode: duel.code }),
      await GameSocket.open(t.server.publicUrl, w2.access, { matchCode: duel.code }),
    ];
    await eventuallyOnClock(t.server, async () => [await liveMatch(t.api, viewer, duel.code), await liveMatch(t.api, viewer, duel.code)],
      ([a, b]) => a?.spectators === 2 && b?.spectators === 2, 'two spectators on both nodes');
    for (const s of sockets) s.close();
    await eventuallyOnClock(t.server, async () => [await liveMatch(t.api, viewer, duel.code), await liveMatch(t.api, viewer, duel.code)],
      ([a, b]) => a?.spectators === 0 && b?.spectators === 0, 'no spectator left');

    for (let i = 0; i < 2; i++) await goal(bob);
    await eventuallyOnClock(t.server, () => liveCodes(t.api, viewer), (codes) => !codes.includes(duel.code), 'gone once finished');
  });

  it('shows a custom game to its lobby only (players, bench, later members), never to outsiders', async () => {
    const [creator, rival, bench] = [await player(t.server, t.api), await player(t.server, t.api), await player(t.server, t.api)];
    const outsider = await registerUser(t.api);
    const lobby = await t.api.post('/api/play/lobby/', { game_mode: 'custom_game', match_type: '1v1' }, { token: creator.access });
    expect(lobby.status).toBe(201);
    for (const p of [rival, bench]) expect((await t.api.post(`/api/play/lobby/${lobby.body.code}/`, undefined, { token: p.access })).status).toBe(201);
    for (const p of [creator, rival]) expect((await t.api.patch(`/api/play/lobby/${lobby.body.code}/`, { is_ready: true }, { token: p.access })).status).toBe(200);
    const match = (await t.internal.get(`/api/private/match/${creator.id}/`)).body;
    expect(match.game_mode).toBe('custom_game');
    await t.internal.get(`/api/private/match/${match.id}/${creator.id}/`);

    for (const p of [creator, rival, bench]) await sees(p, match.code);
    await neverSees(outsider, match.code);
    // Asked for by its code (which would let him watch it), the game is shown to him too.
    await expect(codesByCode(outsider, match.code)).resolves.toEqual([match.code]);

    // The invitation is not stored: an invitee sees the game once he joined the lobby with its code.
    const invitee = await player(t.server, t.api);
    await neverSees(invitee, match.code);
    expect((await t.api.post(`/api/play/lobby/${lobby.body.code}/`, undefined, { token: invitee.access })).status).toBe(201);
    await sees(invitee, match.code);
    await leave(t.server, creator, rival, bench, invitee);
  });

  it('shows a private tournament game to its participants only', async () => {
    const host = await player(t.server, t.api);
    const created = await t.api.post('/api/play/tournament/', { name: `hidden${host.id}`, size: 4, private: true }, { token: host.access });
    expect(created.status).toBe(201);
    const [a, b, outsider] = [await registerUser(t.api), await registerUser(t.api), await registerUser(t.api)];
    const game = await createMatch(t.internal, 'tournament', [a], [b], { tournament_id: created.body.id, tournament_stage_id: 1, tournament_n: 1 });
    await t.internal.get(`/api/private/match/${game.id}/${a.id}/`);
    await sees(host, game.code);
    await sees(a, game.code);
    await neverSees(outsider, game.code);
    await expect(codesByCode(outsider, game.code)).resolves.toEqual([game.code]);
    await leave(t.server, host);
  });

  it("hides games with a player the caller blocked, or who blocked the caller; a player still sees his own", async () => {
    const [ann, bob, blocker, blocked, other] = await Promise.all(Array.from({ length: 5 }, () => registerUser(t.api)));
    const duel = await liveDuel(ann, bob);
    await block(blocker, ann);
    await block(bob, blocked);
    await sees(other, duel.code);
    await sees(ann, duel.code);
    await sees(bob, duel.code);
    await hiddenFrom(blocker, duel.code);
    await hiddenFrom(blocked, duel.code);
    // An unblock shows it again.
    const entries = await t.api.get('/api/users/me/blocked/', { token: blocker.access });
    expect((await t.api.delete(`/api/users/me/blocked/${entries.body.results[0].id}/`, undefined, { token: blocker.access })).status).toBe(204);
    await sees(blocker, duel.code);
    await neverSees(blocked, duel.code);
  });

  it('?code= answers only that match, and not to who blocked one of its players', async () => {
    const [ann, bob, viewer, blocker] = await Promise.all(Array.from({ length: 4 }, () => registerUser(t.api)));
    const duel = await liveDuel(ann, bob);
    const other = await liveDuel();
    await sees(viewer, duel.code);
    await sees(viewer, other.code);
    const one = await t.api.get(`/api/game/live/?code=${duel.code}`, { token: viewer.access });
    expect(one.status).toBe(200);
    expect(one.body.count).toBe(1);
    expect(one.body.results.map((m: { code: string }) => m.code)).toEqual([duel.code]);
    expect(one.body.results[0].teams.a[0].id).toBe(ann.id);
    const none = await t.api.get('/api/game/live/?code=nope', { token: viewer.access });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ count: 0, results: [] });
    await block(blocker, ann);
    await hiddenFrom(blocker, duel.code);
    expect((await t.api.get(`/api/game/live/?code=${duel.code}`, { token: blocker.access })).body.count).toBe(0);
  });

  it('paginates newest first with the platform links, at most 100 a page', async () => {
    const viewer = await registerUser(t.api);
    const duels = [await liveDuel(), await liveDuel(), await liveDuel()];
    for (const d of duels) await sees(viewer, d.code);
    const all = await liveCodes(t.api, viewer);
    // Newest first: the last created comes before the others.
    expect(all.indexOf(duels[2].code)).toBeLessThan(all.indexOf(duels[0].code));
    const first = await t.api.get('/api/game/live/?limit=2', { token: viewer.access });
    expect(first.body.count).toBe(all.length);
    expect(first.body.results.map((m: { code: string }) => m.code)).toEqual(all.slice(0, 2));
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toMatch(/\/api\/game\/live\/\?limit=2&offset=2$/);
    const second = await t.api.get('/api/game/live/?limit=2&offset=2', { token: viewer.access });
    expect(second.body.results.map((m: { code: string }) => m.code)).toEqual(all.slice(2, 4));
    expect(second.body.previous).toMatch(/\/api\/game\/live\/\?limit=2$/);
    const huge = await t.api.get('/api/game/live/?limit=100000', { token: viewer.access });
    expect(huge.body.results.length).toBeLessThanOrEqual(100);
  });
});

describe('GET /api/users/leaderboard/', () => {
  const byId = (ladder: Array<{ id: number }>, user: TestUser) => ladder.findIndex((e) => e.id === user.id);

  it('ranks registered users by trophies then id; ties share a rank (1, 2, 2, 4)', async () => {
    const donor = await createGuest(t.api);
    const users = [await registerUser(t.api), await registerUser(t.api), await registerUser(t.api), await registerUser(t.api)];
    const trophies = [900_300, 900_200, 900_200, 900_100];
    for (const [i, u] of users.entries()) await addTrophies(t.internal, donor, u, trophies[i]);
    const ladder = await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => users.every((u, i) => l[byId(l, u)]?.trophies === trophies[i]), 'the new totals');
    const at = users.map((u) => byId(ladder, u));
    const ranks = at.map((i) => ladder[i].rank);
    expect(ranks).toEqual([ranks[0], ranks[0] + 1, ranks[0] + 1, ranks[0] + 3]);
    // Ties in id order, and nobody between them.
    expect(at).toEqual([at[0], at[0] + 1, at[0] + 2, at[0] + 3]);
    for (const [i, entry] of ladder.entries()) {
      expect(entry.rank).toBe(i === 0 || ladder[i - 1].trophies !== entry.trophies ? i + 1 : ladder[i - 1].rank);
      if (i > 0) expect(ladder[i - 1].trophies > entry.trophies || (ladder[i - 1].trophies === entry.trophies && ladder[i - 1].id < entry.id)).toBe(true);
    }
    expect(Object.keys(ladder[at[0]]).sort()).toEqual(['id', 'profile_picture', 'rank', 'trophies', 'username']);
  });

  it('leaves out guests, lobby bots and deleted accounts', async () => {
    const donor = await createGuest(t.api);
    const guest = await createGuest(t.api);
    const [bot] = await t.server.platform.play.bots.reserve(1);
    t.server.platform.play.bots.release([bot]);
    const doomed = await registerUser(t.api);
    const marker = await registerUser(t.api);
    for (const u of [guest, { ...doomed }, marker]) await addTrophies(t.internal, donor, u, 950_000);
    await addTrophies(t.internal, donor, { id: bot } as TestUser, 950_000);
    const ladder = await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => byId(l, marker) >= 0 && byId(l, doomed) >= 0, 'the marker');
    expect(byId(ladder, guest)).toBe(-1);
    expect(ladder.find((e) => e.id === bot)).toBeUndefined();

    expect((await t.api.delete('/api/users/me/', { password: doomed.password }, { token: doomed.access })).status).toBe(204);
    const after = await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => l.length > 0 && byId(l, doomed) === -1, 'the deleted account gone');
    expect(after.length).toBe(ladder.length - 1);
  });

  it('paginates, caps the page at 100, and a guest who registers joins the ladder', async () => {
    const whole = await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => l.length > 3, 'the ladder');
    const page = await t.api.get('/api/users/leaderboard/?limit=2&offset=1');
    expect(page.body.count).toBe(whole.length);
    expect(page.body.results.map((e: { id: number }) => e.id)).toEqual(whole.slice(1, 3).map((e) => e.id));
    expect(page.body.previous).toMatch(/\/api\/users\/leaderboard\/\?limit=2$/);
    const huge = await t.api.get('/api/users/leaderboard/?limit=5000');
    expect(huge.body.results.length).toBe(Math.min(100, whole.length));

    const guest = await createGuest(t.api);
    const name = `reg${guest.id}`;
    expect((await t.api.put('/api/auth/register/guest/', { username: name, password: 'Str0ng-Passw0rd!' }, { token: guest.access })).status).toBeLessThan(300);
    const joined = await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => l.some((e) => e.id === guest.id && e.username === name), 'the new account');
    const picture = joined.find((e) => e.id === guest.id)!.profile_picture.id;

    // A new name and a new picture show on the ladder too.
    const other = picture === 0 ? 1 : 0;
    expect((await t.api.put(`/api/users/profile-picture/${other}/`, undefined, { token: guest.access })).status).toBe(200);
    expect((await t.api.patch('/api/users/me/', { username: `${name}b` }, { token: guest.access })).status).toBe(200);
    await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => l.some((e) => e.id === guest.id && e.username === `${name}b`
      && e.profile_picture.id === other), 'the new name and picture');
  });

  it('?around=me answers the page that holds the caller, him in the middle; links without `around`', async () => {
    const donor = await createGuest(t.api);
    const me = await registerUser(t.api);
    await addTrophies(t.internal, donor, me, 123_456);
    const whole = await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => l.some((e) => e.id === me.id && e.trophies === 123_456), 'my total');
    const position = byId(whole, me);
    const res = await t.api.get('/api/users/leaderboard/?around=me&limit=5', { token: me.access });
    expect(res.status).toBe(200);
    const offset = Math.max(0, Math.min(position - 2, whole.length - 5));
    expect(res.body.count).toBe(whole.length);
    expect(res.body.results.map((e: { id: number }) => e.id)).toEqual(whole.slice(offset, offset + 5).map((e) => e.id));
    if (offset + 5 < whole.length) expect(res.body.next).toMatch(new RegExp(`\\?limit=5&offset=${offset + 5}$`));
    expect(`${res.body.next ?? ''}${res.body.previous ?? ''}`).not.toContain('around');

    // At the top of the ladder, the first page.
    const leader = await registerUser(t.api);
    await addTrophies(t.internal, donor, leader, 5_000_000);
    await eventuallyOnClock(t.server, () => settledLadder(t.api), (l) => l[0]?.id === leader.id, 'the new leader');
    const first = await t.api.get('/api/users/leaderboard/?around=me&limit=5', { token: leader.access });
    expect(first.body.results[0]).toMatchObject({ rank: 1, id: leader.id, trophies: 5_000_000 });
    expect(first.body.previous).toBeNull();
  });

  it('?around=me needs a token, refuses guests (not on the ladder) and other values of `around`', async () => {
    const none = await t.api.get('/api/users/leaderboard/?around=me');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('not_authenticated');
    const guest = await createGuest(t.api);
    const refused = await t.api.get('/api/users/leaderboard/?around=me', { token: guest.access });
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({ detail: 'You are not on the ladder.' });
    const bad = await t.api.get('/api/users/leaderboard/?around=you');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ around: ['"around" must be "me".'] });
    // Without `around` the token plays no part, even a bad one.
    expect((await t.api.get('/api/users/leaderboard/', { headers: { authorization: 'Bearer nonsense' } })).status).toBe(200);
  });
});
