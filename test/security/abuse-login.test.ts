import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTwoNodesSharing } from '../support/cluster.js';
import { ApiClient, createGuest, registerUser, uniqueName, type TestUser } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { SseClient } from '../support/sse.js';
import { ClientFrom, gameSocketClose } from './abuse-support.js';

const THROTTLED = { detail: 'Request was throttled.' };
const NO_ACCOUNT = { detail: 'No active account found with the given credentials' };

describe('login: failures per account slow further attempts on it down, the owner is not locked out', () => {
  let server: TestServer;
  let api: ApiClient;
  const clients = new Map<string, ClientFrom>();
  const from = (address: string) => {
    if (!clients.has(address)) clients.set(address, new ClientFrom(server.publicUrl, address));
    return clients.get(address)!;
  };
  const login = (address: string, username: string, password: string) => from(address).post('/api/auth/login/', { username, password });

  beforeAll(async () => {
    // Per-address login rate limit out of the way: this is the per-account rule.
    server = await startTestServer({ env: { LOGIN_FAILURES_PER_ACCOUNT: '5', LOGIN_RATE_LIMIT_PER_MINUTE: '100000' } });
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => {
    for (const client of clients.values()) await client.close();
    await server.close();
  });

  it('after 5 failures an attacker waits a growing delay, even with the right password', async () => {
    const owner = await registerUser(api);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await login('127.0.1.1', owner.username, `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const slowed = await login('127.0.1.1', owner.username, 'guess-5');
    expect([slowed.status, slowed.body]).toEqual([429, THROTTLED]);
    expect(Number(slowed.headers['retry-after'])).toBe(30);
    // The right password does not get through either (it is not even checked).
    expect((await login('127.0.1.1', owner.username, owner.password)).status).toBe(429);
    // Nor another spelling of the same account.
    expect((await login('127.0.1.1', owner.username.toUpperCase(), 'guess-6')).status).toBe(429);

    // After the delay one more attempt; its failure doubles the delay.
    server.clock.advance(30_000);
    expect((await login('127.0.1.1', owner.username, 'guess-7')).status).toBe(401);
    const longer = await login('127.0.1.1', owner.username, 'guess-8');
    expect([longer.status, Number(longer.headers['retry-after'])]).toEqual([429, 60]);
    server.clock.advance(60_000);
    expect((await login('127.0.1.1', owner.username, owner.password)).status).toBe(200);
  });

  it('an address the owner logged in from before is never slowed down', async () => {
    const owner = await registerUser(api);
    expect((await login('127.0.1.10', owner.username, owner.password)).status).toBe(200);
    for (let i = 0; i < 8; i++) await login('127.0.1.11', owner.username, `guess-${i}`);
    expect((await login('127.0.1.11', owner.username, owner.password)).status).toBe(429);
    // At home: in at once, even after mistyping there a few times.
    for (let i = 0; i < 4; i++) expect((await login('127.0.1.10', owner.username, `typo-${i}`)).status).toBe(401);
    const home = await login('127.0.1.10', owner.username, owner.password);
    expect(home.status).toBe(200);
    expect(Object.keys(home.body).sort()).toEqual(['access', 'refresh']);
  });

  it('a new address with few failures of its own is not blocked: the owner on a new device, with a typo or two', async () => {
    const owner = await registerUser(api);
    for (let i = 0; i < 8; i++) await login('127.0.1.21', owner.username, `guess-${i}`);
    expect((await login('127.0.1.21', owner.username, owner.password)).status).toBe(429);
    // A phone on another network: two typos, then the right password.
    expect((await login('127.0.1.22', owner.username, 'typo-1')).status).toBe(401);
    expect((await login('127.0.1.22', owner.username, 'typo-2')).status).toBe(401);
    expect((await login('127.0.1.22', owner.username, owner.password)).status).toBe(200);
    // An address that keeps failing soon is blocked like the attacker's.
    for (let i = 0; i < 3; i++) expect((await login('127.0.1.23', owner.username, `guess-${i}`)).status).toBe(401);
    expect((await login('127.0.1.23', owner.username, owner.password)).status).toBe(429);
  });

  it('an unknown username is slowed down the same way (nothing tells whether an account exists)', async () => {
    const ghost = uniqueName('ghost');
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await login('127.0.1.31', ghost, `guess-${i}`));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(answers[0].body).toEqual(NO_ACCOUNT);
  });

  it('parallel attempts cannot overtake the count', async () => {
    const owner = await registerUser(api);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login('127.0.1.41', owner.username, `guess-${i}`)));
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(15);
  });
});

describe.skipIf(!process.env.TEST_REDIS_URL)('with Redis the login counters are shared by every node', () => {
  const nodes = useTwoNodesSharing('login', { LOGIN_FAILURES_PER_ACCOUNT: '5' });

  it('failures on one node slow the account down on the other, and a known address still gets in there', async () => {
    const apiA = new ApiClient(nodes.a.publicUrl);
    const apiB = new ApiClient(nodes.b.publicUrl);
    const owner = await registerUser(apiA);
    const attacker = new ClientFrom(nodes.a.publicUrl, '127.0.2.1');
    const attackerB = new ClientFrom(nodes.b.publicUrl, '127.0.2.1');
    try {
      expect((await apiB.post('/api/auth/login/', { username: owner.username, password: owner.password })).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await attacker.post('/api/auth/login/', { username: owner.username, password: `guess-${i}` })).status).toBe(401);
      expect((await attackerB.post('/api/auth/login/', { username: owner.username, password: owner.password })).status).toBe(429);
      // The owner's address (it logged in through node b) is known on node a too.
      expect((await apiA.post('/api/auth/login/', { username: owner.username, password: owner.password })).status).toBe(200);
    } finally {
      await attacker.close();
      await attackerB.close();
    }
  });
});

describe('tokens without a numeric exp are refused', () => {
  let server: TestServer;
  let api: ApiClient;
  let user: TestUser;
  const TOKEN_NOT_VALID = { detail: 'Given token not valid for any token type.', code: 'token_not_valid' };

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.publicUrl);
    user = await registerUser(api);
  });
  afterAll(async () => server.close());

  /** A token signed with the server's own secret (by hand: JWT libraries refuse to sign a bad `exp`); only `exp` is wrong. */
  function forged(claims: Record<string, unknown>): string {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const iat = Math.floor(server.clock.now() / 1000);
    const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ token_type: 'access', iat, jti: randomBytes(16).toString('hex'), user_id: user.id, ...claims })}`;
    return `${body}.${createHmac('sha256', server.config.jwtSecret).update(body).digest('base64url')}`;
  }

  it.each([
    ['missing', {}],
    ['a string', { exp: '9999999999' }],
    ['a word', { exp: 'never' }],
    ['null', { exp: null }],
    ['an object', { exp: { at: 9999999999 } }],
  ])('exp %s: 401 token_not_valid on the API, the stream and the game socket', async (_what, claims) => {
    const token = forged(claims);
    const me = await api.get('/api/users/me/', { token });
    expect([me.status, me.body]).toEqual([401, TOKEN_NOT_VALID]);
    const stream = await SseClient.open(server.publicUrl, token, { viaQuery: true });
    expect([stream.status, JSON.parse(stream.errorBody)]).toEqual([401, TOKEN_NOT_VALID]);
    expect(await gameSocketClose(server.publicUrl, token, '')).toEqual({ code: 4001, reason: TOKEN_NOT_VALID.detail });
  });

  it('a refresh token without exp cannot mint access tokens', async () => {
    const refresh = forged({ token_type: 'refresh', ver: 0 });
    const res = await api.post('/api/auth/refresh/', { refresh });
    expect([res.status, res.body]).toEqual([401, { detail: 'Token is invalid or expired', code: 'token_not_valid' }]);
  });

  it('the same token with a numeric exp works (only exp differs)', async () => {
    const token = forged({ exp: Math.floor(server.clock.now() / 1000) + 600 });
    expect((await api.get('/api/users/me/', { token })).status).toBe(200);
  });
});

describe('guest names (Guest + digits, any case) are reserved for guests', () => {
  let server: TestServer;
  let api: ApiClient;
  const RESERVED = { username: ['This username is reserved for guests.'] };

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.publicUrl);
  });
  afterAll(async () => server.close());

  it.each(['Guest123', 'Guest123456', 'guest42', 'GUEST000001', 'gUeSt7'])('registration refuses %j', async (username) => {
    const res = await api.post('/api/auth/register/', { username, password: 'Sup3r-secret!' });
    expect([res.status, res.body]).toEqual([400, RESERVED]);
  });

  it('names that only look alike are fine', async () => {
    for (const username of [`Guest${uniqueName('x')}`.slice(0, 30), `MyGuest${Date.now() % 100000}`, 'Guest_1'.concat(String(Date.now() % 1000))]) {
      expect([username, (await api.post('/api/auth/register/', { username, password: 'Sup3r-secret!' })).status]).toEqual([username, 201]);
    }
  });

  it('a guest registering (PUT and PATCH) cannot take one, not even his own', async () => {
    for (const method of ['PUT', 'PATCH'] as const) {
      const guest = await createGuest(api);
      for (const username of [guest.username, 'Guest999999']) {
        const res = await api.request(method, '/api/auth/register/guest/', { body: { username, password: 'Sup3r-secret!' }, token: guest.access });
        expect([method, username, res.status, res.body]).toEqual([method, username, 400, RESERVED]);
      }
    }
  });

  it('PATCH /api/users/me/ refuses one as a new name', async () => {
    const user = await registerUser(api);
    const res = await api.patch('/api/users/me/', { username: 'Guest314159' }, { token: user.access });
    expect([res.status, res.body]).toEqual([400, RESERVED]);
    expect((await api.get('/api/users/me/', { token: user.access })).body.username).toBe(user.username);
  });
});
