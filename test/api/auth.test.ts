import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, registerUser, uniqueName } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer({ env: { ACCESS_TOKEN_TTL: '15m' } });
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const decode = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

describe('POST /api/auth/register/', () => {
  it('creates an account and answers a token pair with the claims token_type, jti, user_id and their lifetimes', async () => {
    const res = await api.post('/api/auth/register/', { username: uniqueName('reg'), password: 'Sup3r-secret!' });
    expect(res.status).toBe(201);
    const access = decode(res.body.access);
    const refresh = decode(res.body.refresh);
    expect(access.token_type).toBe('access');
    expect(refresh.token_type).toBe('refresh');
    expect(access.jti).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof access.user_id).toBe('number');
    expect(access.exp - access.iat).toBe(15 * 60);
    expect(refresh.exp - refresh.iat).toBe(30 * 24 * 3600);
    const me = await api.get('/api/users/me/', { token: res.body.access });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: access.user_id, is_guest: false, accept_friend_request: true, accept_chat_from: 'friends_only',
      trophies: 0, notifications: { friend_requests: 0, chats: 0 }, is_online: false,
      profile_picture: { id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' },
    });
    expect(Object.keys(me.body).sort()).toEqual(
      ['accept_chat_from', 'accept_friend_request', 'created_at', 'id', 'is_guest', 'is_online', 'last_online', 'notifications', 'profile_picture', 'trophies', 'username'],
    );
  });

  it('reports missing fields together', async () => {
    const res = await api.post('/api/auth/register/', {});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ username: ['This field is required.'], password: ['This field is required.'] });
  });

  it('reports the username rule with the password field error', async () => {
    const res = await api.post('/api/auth/register/', { username: 'superadmin', password: '' });
    expect(res.body).toEqual({ username: ['This username is not allowed.'], password: ['This field may not be blank.'] });
  });

  it.each([
    ['admin123', 'This username is not allowed.'],
    ['support22', 'This username is not allowed.'],
    ['transcendence2', 'This username is not allowed.'],
    ['ab', 'Username must be at least 3 characters long.'],
    ['bad name', 'Use of an invalid character.'],
    ['élodie', 'Use of an invalid character.'],
    ['x'.repeat(31), 'Ensure this field has no more than 30 characters.'],
    ['   ', 'This field may not be blank.'],
  ])('refuses the username %j', async (username, message) => {
    const res = await api.post('/api/auth/register/', { username, password: 'Sup3r-secret!' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ username: [message] });
  });

  it('accepts "Admin" (the forbidden parts are case-sensitive) and trims whitespace', async () => {
    const name = `Admin${Date.now() % 100000}`;
    const res = await api.post('/api/auth/register/', { username: `  ${name}  `, password: 'Sup3r-secret!' });
    expect(res.status).toBe(201);
    const me = await api.get('/api/users/me/', { token: res.body.access });
    expect(me.body.username).toBe(name);
  });

  it('refuses a username taken in another case', async () => {
    const name = uniqueName('Case');
    expect((await api.post('/api/auth/register/', { username: name, password: 'Sup3r-secret!' })).status).toBe(201);
    const res = await api.post('/api/auth/register/', { username: name.toUpperCase(), password: 'Sup3r-secret!' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ username: ['This username already exists.'] });
  });

  it('applies the password rules in order, all four checks together', async () => {
    const name = uniqueName('pw');
    const cases: Array<[string, string[]]> = [
      ['pass word!', ['Use of an invalid character.']],
      ['abc.defgh', ['Use of an invalid character.']],
      ['1234567', ['This password is too short. It must contain at least 8 characters.', 'This password is too common.', 'This password is entirely numeric.']],
      ['password', ['This password is too common.']],
      ['123456789', ['This password is too common.', 'This password is entirely numeric.']],
      ['qwertyuiop', ['This password is too common.']],
      ['a'.repeat(51), ['Ensure this field has no more than 50 characters.']],
    ];
    for (const [password, messages] of cases) {
      const res = await api.post('/api/auth/register/', { username: name, password });
      expect(res.status, password).toBe(400);
      expect(res.body, password).toEqual({ password: messages });
    }
  });

  it('refuses a password too similar to the username (a password that is the username minus a suffix)', async () => {
    const res = await api.post('/api/auth/register/', { username: 'register_inv_passwordAbCdEf', password: 'register_inv_password' });
    expect(res.body).toEqual({ password: ['The password is too similar to the username.'] });
  });

  it('answers a non-object body with non_field_errors', async () => {
    const res = await api.post('/api/auth/register/', ['a']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
  });

  it('reads numbers as strings and refuses other types', async () => {
    const res = await api.post('/api/auth/register/', { username: true, password: ['x'] });
    expect(res.body).toEqual({ username: ['Not a valid string.'], password: ['Not a valid string.'] });
    const numeric = await api.post('/api/auth/register/', { username: 123456, password: null });
    expect(numeric.body).toEqual({ password: ['This field may not be null.'] });
  });

  it('answers 429 to racing registrations of one name and creates exactly one account', async () => {
    const name = uniqueName('race');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => api.post('/api/auth/register/', { username: name, password: 'Sup3r-secret!' })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect([400, 429]).toContain(a.status);
      if (a.status === 429) expect(a.body).toEqual({ detail: 'Request was throttled.' });
      else expect(a.body).toEqual({ username: ['This username already exists.'] });
    }
    expect((await api.post('/api/auth/login/', { username: name, password: 'Sup3r-secret!' })).status).toBe(200);
  });
});

describe('POST /api/auth/guest/', () => {
  it('creates a guest named Guest + 6 digits with the Guest picture, ignoring any body', async () => {
    const res = await api.post('/api/auth/guest/', { username: 'ignored' });
    expect(res.status).toBe(201);
    const me = await api.get('/api/users/me/', { token: res.body.access });
    expect(me.body.username).toMatch(/^Guest\d{6}$/);
    expect(me.body.is_guest).toBe(true);
    expect(me.body.profile_picture.id).toBe(0);
  });

  it('works with no body and no content type', async () => {
    const res = await api.request('POST', '/api/auth/guest/', { noContentType: true });
    expect(res.status).toBe(201);
  });

  it('a guest can never log in', async () => {
    const guest = await createGuest(api);
    const res = await api.post('/api/auth/login/', { username: guest.username, password: '' });
    expect(res.status).toBe(400);
    const again = await api.post('/api/auth/login/', { username: guest.username, password: 'anything' });
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ detail: 'No active account found with the given credentials' });
  });
});

describe('PUT/PATCH /api/auth/register/guest/', () => {
  it('turns a guest into a registered account, keeping the Guest picture equipped and unlocking Register', async () => {
    const guest = await createGuest(api);
    const name = uniqueName('upg');
    const res = await api.put('/api/auth/register/guest/', { username: name, password: 'Sup3r-secret!' }, { token: guest.access });
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('access');
    expect(res.body).toHaveProperty('refresh');
    const me = await api.get('/api/users/me/', { token: guest.access });
    expect(me.body).toMatchObject({ id: guest.id, username: name, is_guest: false, profile_picture: { id: 0 } });
    expect((await api.post('/api/auth/login/', { username: name, password: 'Sup3r-secret!' })).status).toBe(200);
  });

  it('PATCH without username answers 400 required (not a crash)', async () => {
    const guest = await createGuest(api);
    const res = await api.patch('/api/auth/register/guest/', { password: 'Sup3r-secret!' }, { token: guest.access });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ username: ['This field is required.'] });
  });

  it('refuses to keep the current Guest name: a registered account cannot pass for a guest', async () => {
    const guest = await createGuest(api);
    const res = await api.patch('/api/auth/register/guest/', { username: guest.username, password: 'Sup3r-secret!' }, { token: guest.access });
    expect([res.status, res.body]).toEqual([400, { username: ['This username is reserved for guests.'] }]);
  });

  it('refuses a taken name, a registered caller and no token', async () => {
    const user = await registerUser(api);
    const guest = await createGuest(api);
    const taken = await api.put('/api/auth/register/guest/', { username: user.username, password: 'Sup3r-secret!' }, { token: guest.access });
    expect(taken.body).toEqual({ username: ['This username already exists.'] });
    const notGuest = await api.put('/api/auth/register/guest/', { username: uniqueName(), password: 'Sup3r-secret!' }, { token: user.access });
    expect(notGuest.status).toBe(403);
    expect(notGuest.body).toEqual({ detail: 'You must be a guest user.' });
    const anonymous = await api.put('/api/auth/register/guest/', { username: uniqueName(), password: 'Sup3r-secret!' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' });
  });

  it('a bad password leaves the guest unchanged', async () => {
    const guest = await createGuest(api);
    const res = await api.put('/api/auth/register/guest/', { username: uniqueName(), password: 'password' }, { token: guest.access });
    expect(res.body).toEqual({ password: ['This password is too common.'] });
    const me = await api.get('/api/users/me/', { token: guest.access });
    expect(me.body.username).toBe(guest.username);
    expect(me.body.is_guest).toBe(true);
  });
});

describe('POST /api/auth/login/', () => {
  it('logs in case-sensitively and does not trim the password', async () => {
    const user = await registerUser(api);
    expect((await api.post('/api/auth/login/', { username: user.username, password: user.password })).status).toBe(200);
    expect((await api.post('/api/auth/login/', { username: user.username.toUpperCase(), password: user.password })).status).toBe(401);
    expect((await api.post('/api/auth/login/', { username: user.username, password: ` ${user.password}` })).status).toBe(401);
  });

  it('answers missing and blank fields', async () => {
    expect((await api.post('/api/auth/login/', {})).body).toEqual({ username: ['This field is required.'], password: ['This field is required.'] });
    expect((await api.post('/api/auth/login/', { username: ' ', password: '' })).body).toEqual({
      username: ['This field may not be blank.'], password: ['This field may not be blank.'],
    });
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const user = await registerUser(api);
    const wrong = await api.post('/api/auth/login/', { username: user.username, password: 'Wrong-passw0rd' });
    const unknown = await api.post('/api/auth/login/', { username: uniqueName('nobody'), password: 'Wrong-passw0rd' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: 'No active account found with the given credentials' });
    expect(unknown.body).toEqual(wrong.body);
  });
});

describe('POST /api/auth/refresh/', () => {
  it('mints a new access token with a new jti for the same user', async () => {
    const user = await registerUser(api);
    const res = await api.post('/api/auth/refresh/', { refresh: user.refresh });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['access']);
    expect(decode(res.body.access).user_id).toBe(user.id);
    expect(decode(res.body.access).jti).not.toBe(decode(user.access).jti);
    expect((await api.get('/api/users/me/', { token: res.body.access })).status).toBe(200);
  });

  it('refuses missing, tampered and access tokens with the exact texts', async () => {
    const user = await registerUser(api);
    expect((await api.post('/api/auth/refresh/', {})).body).toEqual({ refresh: ['This field is required.'] });
    const tampered = await api.post('/api/auth/refresh/', { refresh: `${user.refresh.slice(0, -3)}abc` });
    expect(tampered.status).toBe(401);
    expect(tampered.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    const access = await api.post('/api/auth/refresh/', { refresh: user.access });
    expect(access.body).toEqual({ detail: 'Token has wrong type', code: 'token_not_valid' });
  });

  it('refresh tokens expire after 30 days', async () => {
    const user = await registerUser(api);
    server.clock.advance(30 * 24 * 3600 * 1000 + 1000);
    const res = await api.post('/api/auth/refresh/', { refresh: user.refresh });
    expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    server.clock.advance(-(30 * 24 * 3600 * 1000 + 1000));
    // 30 days of every periodic timer on the manual clock (twice under TEST_TWO_NODES).
  }, 120_000);

  it('a password change invalidates every refresh token issued before', async () => {
    const user = await registerUser(api);
    await server.platform.auth.updateCredentials((await server.platform.users.findById(user.id))!, {
      password: 'An0ther-secret!', old_password: user.password,
    });
    const res = await api.post('/api/auth/refresh/', { refresh: user.refresh });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' });
    const relogin = await api.post('/api/auth/login/', { username: user.username, password: 'An0ther-secret!' });
    expect((await api.post('/api/auth/refresh/', { refresh: relogin.body.refresh })).status).toBe(200);
  });
});

describe('authentication of public endpoints (detail and code of each 401)', () => {
  it('answers each credential problem with its detail and code', async () => {
    const user = await registerUser(api);
    const cases: Array<[Record<string, string>, string, string]> = [
      [{}, 'Authentication credentials were not provided.', 'not_authenticated'],
      [{ authorization: `Token ${user.access}` }, 'Incorrect authentication credentials.', 'authentication_failed'],
      [{ authorization: user.access }, 'Incorrect authentication credentials.', 'authentication_failed'],
      [{ authorization: 'Bearer' }, 'Authorization header must contain two space-delimited values.', 'bad_authorization_header'],
      [{ authorization: 'Bearer a b' }, 'Authorization header must contain two space-delimited values.', 'bad_authorization_header'],
      [{ authorization: 'Bearer garbage' }, 'Given token not valid for any token type.', 'token_not_valid'],
      [{ authorization: `Bearer ${user.refresh}` }, 'Given token not valid for any token type.', 'token_not_valid'],
    ];
    for (const [headers, detail, code] of cases) {
      const res = await api.get('/api/users/me/', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body).toEqual({ detail, code });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    }
  });

  it('access tokens expire (token_not_valid) after ACCESS_TOKEN_TTL', async () => {
    const user = await registerUser(api);
    server.clock.advance(15 * 60 * 1000 + 1000);
    const res = await api.get('/api/users/me/', { token: user.access });
    server.clock.advance(-(15 * 60 * 1000 + 1000));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: 'Given token not valid for any token type.', code: 'token_not_valid' });
  });

  it('refuses ?token= outside the stream and the game socket', async () => {
    const user = await registerUser(api);
    const res = await api.get(`/api/users/me/?token=${user.access}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('not_authenticated');
  });
});
