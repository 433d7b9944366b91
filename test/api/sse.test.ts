import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser } from '../support/http.js';
import { SseClient } from '../support/sse.js';
import { onEachNode, startTestServer, type TestServer } from '../support/server.js';
import type { StreamHubListener } from '../../src/features/events/stream-hub.js';
import { dropStream } from '../support/play.js';

let server: TestServer;
let api: ApiClient;
let internal: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { SSE_PING_MS: '2000', SSE_STREAMS_PER_USER: '3' } });
  api = new ApiClient(server.publicUrl);
  internal = new ApiClient(server.internalUrl!);
});
afterAll(async () => server.close());

const ENVELOPE_KEYS = ['data', 'event_code', 'kwargs', 'message', 'service', 'target', 'type'];

/** `whileWaiting` runs between polls (e.g. moves the clock on for a timer armed a moment late on another node). */
async function waitOnline(token: string, expected: boolean, whileWaiting: () => void = () => {}) {
  for (let i = 0; i < 100; i++) {
    const me = await api.get('/api/users/me/', { token });
    if (me.body.is_online === expected) return me.body;
    await new Promise((r) => setTimeout(r, 20));
    whileWaiting();
  }
  throw new Error(`is_online never became ${expected}`);
}

describe('GET /sse/users/', () => {
  it('opens with the Bearer header, sends the headers and a first ping at once', async () => {
    const user = await registerUser(api);
    const stream = await SseClient.open(server.publicUrl, user.access);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    const ping = await stream.next('ping');
    expect(ping.envelope).toEqual({ service: 'auth', event_code: 'ping', type: 'event', message: '', target: null, data: 'PING', kwargs: null });
    stream.close();
  });

  it('accepts ?token= (browsers cannot set headers on EventSource); guests may connect', async () => {
    const guest = await createGuest(api);
    const stream = await SseClient.open(server.publicUrl, guest.access, { viaQuery: true });
    expect(stream.status).toBe(200);
    await stream.next('ping');
    stream.close();
  });

  it('answers token problems with JSON 401 bodies', async () => {
    const none = await api.get('/sse/users/', { noContentType: true });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toContain('application/json');
    expect(none.body).toEqual({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' });
    const bad = await SseClient.open(server.publicUrl, 'garbage');
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.errorBody)).toEqual({ detail: 'Given token not valid for any token type.', code: 'token_not_valid' });
  });

  it('pings every SSE_PING_MS on the injected clock', async () => {
    const user = await registerUser(api);
    const stream = await SseClient.open(server.publicUrl, user.access);
    await stream.next('ping');
    server.clock.advance(2000);
    await stream.next('ping');
    server.clock.advance(2000);
    await stream.next('ping');
    expect(stream.events.filter((e) => e.event === 'ping').length).toBe(3);
    stream.close();
  });

  it('sends its first frame only once the user is recorded online: a queue joined at once is not refused', async () => {
    const user = await createGuest(api);
    const me = await api.get('/api/users/me/', { token: user.access });
    // The presence write is slow (a busy database): held until the test lets it go.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowPresence: StreamHubListener = {
      streamOpened: (userId) => (userId === me.body.id ? held : undefined),
      lastStreamClosed: () => {},
    };
    onEachNode(server, (platform) => (platform.hub as unknown as { listeners: StreamHubListener[] }).listeners.unshift(slowPresence));
    try {
      const stream = await SseClient.open(server.publicUrl, user.access);
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.events.filter((e) => e.event === 'ping')).toEqual([]);
      release();
      await stream.next('ping');
      const entered = await api.post('/api/play/duel/', {}, { token: user.access });
      expect(entered.status).toBe(201);
      await api.delete('/api/play/duel/', undefined, { token: user.access });
      stream.close();
    } finally {
      release();
      onEachNode(server, (platform) => {
        const listeners = (platform.hub as unknown as { listeners: StreamHubListener[] }).listeners;
        listeners.splice(listeners.indexOf(slowPresence), 1);
      });
    }
  });

  it('refuses an account more than SSE_STREAMS_PER_USER streams on a node (429, in words), and takes one again once one closed', async () => {
    const user = await createGuest(api);
    const nodes = server.second ? 2 : 1;
    const open: SseClient[] = [];
    let refused: SseClient | null = null;
    // Requests may alternate between two nodes: each holds at most 3 of the account's streams.
    while (!refused && open.length <= 3 * nodes) {
      const stream = await SseClient.open(server.publicUrl, user.access);
      if (stream.status === 200) {
        await stream.next('ping');
        open.push(stream);
      } else refused = stream;
    }
    expect(open.length).toBeGreaterThanOrEqual(3);
    expect(open.length).toBeLessThanOrEqual(3 * nodes);
    expect(refused?.status).toBe(429);
    expect(JSON.parse(refused!.errorBody!)).toEqual({ detail: 'Too many live streams are open for this account: close one (another tab or client) first.' });
    // Another account is not concerned.
    const other = await SseClient.open(server.publicUrl, (await createGuest(api)).access);
    await other.next('ping');
    other.close();
    for (const stream of open) stream.close();
    for (let tries = 0; ; tries++) {
      const again = await SseClient.open(server.publicUrl, user.access);
      if (again.status === 200) {
        await again.next('ping');
        again.close();
        break;
      }
      // The closed streams are noticed a moment later.
      expect(tries).toBeLessThan(50);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('follows the streams with is_online / last_online', async () => {
    const user = await registerUser(api);
    const before = await api.get('/api/users/me/', { token: user.access });
    expect(before.body.is_online).toBe(false);
    server.clock.advance(5000);
    const first = await SseClient.open(server.publicUrl, user.access);
    const second = await SseClient.open(server.publicUrl, user.access);
    const online = await waitOnline(user.access, true);
    expect(Date.parse(online.last_online)).toBeGreaterThan(Date.parse(before.body.last_online));
    first.close();
    await new Promise((r) => setTimeout(r, 100));
    expect((await api.get('/api/users/me/', { token: user.access })).body.is_online).toBe(true);
    server.clock.advance(5000);
    // Offline once the reconnection grace is over without a new stream.
    await dropStream(server, { ...user, stream: second });
    server.clock.advance(server.config.streamGraceMs);
    // With two nodes the closed stream may be noticed after that advance: its grace then needs the clock to move again.
    const offline = await waitOnline(user.access, false, () => server.clock.advance(500));
    expect(Date.parse(offline.last_online)).toBeGreaterThan(Date.parse(online.last_online));
  });

  it('delivers each event to every stream of the user, in publish order, with the whole envelope', async () => {
    const user = await registerUser(api);
    const a = await SseClient.open(server.publicUrl, user.access);
    const b = await SseClient.open(server.publicUrl, user.access);
    await waitOnline(user.access, true);
    const codes = ['lobby-update', 'lobby-banned', 'tournament-start-cancel', 'delete-friend', 'lobby-spectate-game'];
    for (let i = 0; i < 20; i++) {
      const res = await internal.post('/api/private/users/events/', { users_id: [user.id], event_code: codes[i % codes.length], data: { n: i } });
      expect(res.status).toBe(201);
    }
    for (const stream of [a, b]) {
      await stream.waitFor(() => stream.notifications.length === 20);
      expect(stream.notifications.map((e) => e.envelope.data.n)).toEqual([...Array(20).keys()]);
      expect(stream.notifications.map((e) => e.event)).toEqual([...Array(20).keys()].map((i) => codes[i % codes.length]));
      for (const e of stream.notifications) {
        expect(Object.keys(e.envelope).sort()).toEqual(ENVELOPE_KEYS);
        expect(e.envelope.event_code).toBe(e.event);
      }
    }
    a.close();
    b.close();
  });

  it('builds messages and targets from the catalogue', async () => {
    const sender = await registerUser(api);
    const user = await registerUser(api);
    const stream = await SseClient.open(server.publicUrl, user.access);
    await waitOnline(user.access, true);
    await internal.post('/api/private/users/events/', {
      users_id: [user.id], event_code: 'receive-friend-request', data: { id: 42 }, kwargs: { username: sender.id },
    });
    const received = await stream.next('receive-friend-request');
    expect(received.envelope).toEqual({
      service: 'friends', event_code: 'receive-friend-request', type: 'notification',
      message: `${sender.username} wants to be friends with you.`,
      target: [
        { url: 'api/users/me/friend_requests/42/', type: 'api', method: 'POST', display_name: null, display_icon: '/assets//icon/accept.png' },
        { url: 'api/users/me/friend_requests/42/', type: 'api', method: 'DELETE', display_name: null, display_icon: '/assets//icon/decline.png' },
      ],
      data: { id: 42 },
      kwargs: { username: sender.id },
    });
    await internal.post('/api/private/users/events/', {
      users_id: [user.id], event_code: 'tournament-match-finish', data: {},
      kwargs: { winner: 'ann', looser: 999999, score_winner: 3, score_looser: 1, finish_reason: '' },
    });
    expect((await stream.next('tournament-match-finish')).envelope.message).toBe('ann win against DeleteUser 3-1.');
    await internal.post('/api/private/users/events/', { users_id: [user.id], event_code: 'accept-friend-request' });
    expect((await stream.next('accept-friend-request')).envelope.message).toBe('{username} has accepted your friend request.');
    await internal.post('/api/private/users/events/', { users_id: [user.id], event_code: 'lobby-message', kwargs: { username: 'bob', message: true } });
    expect((await stream.next('lobby-message')).envelope.message).toBe('bob: True');
    stream.close();
  });

  it('delete-user closes every stream of the user', async () => {
    const user = await registerUser(api);
    const a = await SseClient.open(server.publicUrl, user.access);
    const b = await SseClient.open(server.publicUrl, user.access);
    await waitOnline(user.access, true);
    await server.platform.events.send([user.id], 'delete-user', {});
    for (const stream of [a, b]) {
      await stream.next('delete-user');
      await stream.waitClosed();
    }
  });
});

describe('POST /api/private/users/events/ (the private publish endpoint)', () => {
  it('is not served on the public port', async () => {
    const res = await api.post('/api/private/users/events/', { users_id: [1], event_code: 'ping' });
    expect(res.status).toBe(404);
  });

  it('answers 404 for an empty list whatever else is wrong', async () => {
    const res = await internal.post('/api/private/users/events/', { users_id: [], event_code: 42, data: 'x' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'Users not found.' });
  });

  it('reports every faulty field together', async () => {
    const cases: Array<[unknown, unknown]> = [
      [{ event_code: 'ping' }, { users_id: ['This field is required.'] }],
      [{ users_id: 'x', event_code: 'ping' }, { users_id: ['Expected a list of items but got type "str".'] }],
      [{ users_id: 3, event_code: 'ping' }, { users_id: ['Expected a list of items but got type "int".'] }],
      [{ users_id: {}, event_code: 'ping' }, { users_id: ['Expected a list of items but got type "dict".'] }],
      [{ users_id: [1, 'x'], event_code: 'ping' }, { users_id: { 1: ['A valid integer is required.'] } }],
      [{ users_id: [1], event_code: null }, { event_code: ['This field may not be null.'] }],
      [{ users_id: [1], event_code: ['a'] }, { event_code: ['Not a valid string.'] }],
      [{ users_id: [1], event_code: 'nope' }, { event_code: ['Invalid event code.'] }],
      [{ users_id: [1], event_code: 2 }, { event_code: ['Invalid event code.'] }],
      [{ users_id: [1], event_code: 'ping', data: 'str' }, { data: ['Expected a dictionary of items but got type "str".'] }],
      [{ users_id: 'x', event_code: 'nope' }, { users_id: ['Expected a list of items but got type "str".'], event_code: ['Invalid event code.'] }],
    ];
    for (const [body, expected] of cases) {
      const res = await internal.post('/api/private/users/events/', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toEqual(expected);
    }
  });

  it('answers 404 for unknown users and for a single offline user, skips offline users in a list', async () => {
    const online = await registerUser(api);
    const offline = await registerUser(api);
    expect((await internal.post('/api/private/users/events/', { users_id: [online.id, 99999999], event_code: 'lobby-update' })).body)
      .toEqual({ detail: 'User not found.' });
    expect((await internal.post('/api/private/users/events/', { users_id: [offline.id], event_code: 'lobby-update' })).status).toBe(404);
    const stream = await SseClient.open(server.publicUrl, online.access);
    await waitOnline(online.access, true);
    const res = await internal.post('/api/private/users/', { users_id: [online.id, offline.id, online.id], event_code: 'lobby-update', data: { a: 1 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ users_id: [online.id, offline.id], event_code: 'lobby-update', data: { a: 1 } });
    expect((await stream.next('lobby-update')).envelope.data).toEqual({ a: 1 });
    stream.close();
  });

  it('answers 404 (not a database error) for ids no user can have, and checks 33,000 ids at once', async () => {
    const online = await registerUser(api);
    for (const bad of [0, -5, 2 ** 31, 2 ** 53 - 1]) {
      const res = await internal.post('/api/private/users/events/', { users_id: [online.id, bad], event_code: 'lobby-update' });
      expect(res.status, String(bad)).toBe(404);
      expect(res.body).toEqual({ detail: 'User not found.' });
    }
    // More ids than SQLite accepts as parameters of one statement (32,766), within the 256 kB body limit: they travel as one list.
    const many = Array.from({ length: 33_000 }, (_, i) => online.id + 100_000 + i);
    const res = await internal.post('/api/private/users/events/', { users_id: [online.id, ...many], event_code: 'lobby-update' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'User not found.' });
  });

  it('refuses missing kwargs and missing target data, sending nothing', async () => {
    const user = await registerUser(api);
    const stream = await SseClient.open(server.publicUrl, user.access);
    await waitOnline(user.access, true);
    const kw = await internal.post('/api/private/users/events/', { users_id: [user.id], event_code: 'invite-1v1', data: { id: 1, code: 'ABCD' }, kwargs: {} });
    expect(kw.status).toBe(400);
    expect(kw.body).toEqual({ kwargs: { username: 'Missing required kwargs.' } });
    const data = await internal.post('/api/private/users/events/', { users_id: [user.id], event_code: 'invite-1v1', data: { id: 1 }, kwargs: { username: 'x' } });
    expect(data.body).toEqual({ data: { code: 'Missing required data.' } });
    await internal.post('/api/private/users/events/', { users_id: [user.id], event_code: 'lobby-destroy' });
    await stream.next('lobby-destroy');
    expect(stream.notifications.map((e) => e.event)).toEqual(['lobby-destroy']);
    stream.close();
  });
});

describe('GET /api/private/auth/verify/', () => {
  it('answers the user behind a token, or the 401 pair', async () => {
    const user = await registerUser(api);
    const ok = await internal.get('/api/private/auth/verify/', { token: user.access });
    expect(ok.body).toEqual({ id: user.id, username: user.username, is_guest: false });
    const bad = await internal.get('/api/private/auth/verify/', { token: user.refresh });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('token_not_valid');
  });
});
