import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registerUser, type ApiResponse, type TestUser } from '../support/http.js';
import { useTestServer } from '../support/fixture.js';
import { propertySeed } from '../support/property.js';
import { fillPath, isSpecErrorBody, NOT_JSON_API, operationsOf, type Operation } from './openapi.js';

const t = useTestServer();

/** Runs per operation; with ~55 operations and the fixed cases below, about 2.5k requests in all. */
const RUNS_PER_OPERATION = 40;
/** A request slower than this counts as a hang. */
const HANG_MS = 10_000;

export const fuzzStats = { requests: 0 };

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
  fc.constantFrom('', ' ', '\u0000', '\u0000abc', "' OR 1=1 --", '"; DROP TABLE users; --', '../../etc/passwd', '%00', '%2e%2e%2f',
    '<script>alert(1)</script>', '${jndi:ldap://x}', '__proto__', 'constructor', '\ud800', '😀'.repeat(50), 'NaN', 'Infinity',
    '-1', '0', '1e309', '9'.repeat(40), '1.5', 'true', 'null', 'a'.repeat(5000)),
);
const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString, hostileNumber, fc.boolean(), fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 5 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);
const pathValue = fc.oneof(
  fc.integer({ min: -5, max: 200 }).map(String),
  fc.constantFrom('0', '-1', '99999999999', '9223372036854775808', '1e3', '0x10', '1.0', 'abc', ' 1', '%00', '..', 'null', 'a'.repeat(190)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
);

function bodyFor(op: Operation): fc.Arbitrary<{ raw?: string; json?: unknown; contentType?: string }> {
  const known = op.bodyProperties.length > 0
    ? fc.record(Object.fromEntries(op.bodyProperties.map((name) => [name, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  const extra = fc.dictionary(hostileString, hostileValue, { maxKeys: 3 });
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(known, extra).map(([k, e]) => ({ json: { ...e, ...k } })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {"x": 1}}}', 'null', '"x"', '1e999', '[]', '{}'.repeat(3)).map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x').map((contentType) => ({ raw: 'a=1', contentType })) },
  );
}

const queryFor = (op: Operation) => fc.dictionary(
  fc.oneof(fc.constantFrom(...op.queryParams, 'limit', 'offset', 'q', 'token', 'online', '__proto__'), hostileString),
  fc.oneof(hostileString, fc.integer().map(String)),
  { maxKeys: 4 },
);

function checkAnswer(label: string, res: ApiResponse, ms: number) {
  expect(ms, `${label} took ${ms} ms`).toBeLessThan(HANG_MS);
  expect(res.status, `${label} -> ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) expect(isSpecErrorBody(res.body), `${label} -> ${res.status} ${res.text.slice(0, 300)}`).toBe(true);
}

describe('hostile input on every public route (generated from /api/docs/json)', () => {
  it('never answers 5xx, never hangs, and answers errors in the documented error shapes', async () => {
    const ops = (await operationsOf(t.api)).filter((op) => !NOT_JSON_API(op));
    expect(ops.length).toBeGreaterThan(40);
    const started = Date.now();
    for (const op of ops) {
      // A fresh account per operation: whatever the previous fuzzing did to its caller (renamed, logged out) does not matter.
      const user: TestUser = await registerUser(t.api);
      const token = fc.oneof({ weight: 8, arbitrary: fc.constant(user.access) }, { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('x', 'Bearer', user.refresh, `${user.access}x`, 'a.b.c') });
      const pathParams = fc.record(Object.fromEntries(op.pathParams.map((name) => [name, fc.oneof(pathValue, fc.constant(String(user.id)))])));
      await fc.assert(
        fc.asyncProperty(pathParams, queryFor(op), bodyFor(op), token, async (params, query, body, bearer) => {
          const search = new URLSearchParams(query as Record<string, string>).toString();
          const path = fillPath(op.path, params as Record<string, string>) + (search ? `?${search}` : '');
          const headers: Record<string, string> = {};
          if (body.contentType) headers['content-type'] = body.contentType;
          if (bearer !== undefined && bearer !== user.access) headers.authorization = bearer.includes(' ') || bearer === 'Bearer' ? bearer : `Bearer ${bearer}`;
          const sendsBody = op.method !== 'GET';
          const t0 = Date.now();
          const res = await t.api.request(op.method, path, {
            token: bearer === user.access ? bearer : undefined,
            headers,
            rawBody: sendsBody ? (body.raw ?? JSON.stringify(body.json)) : undefined,
          });
          fuzzStats.requests += 1;
          checkAnswer(`${op.method} ${path}`, res, Date.now() - t0);
        }),
        { numRuns: RUNS_PER_OPERATION, endOnFailure: true, seed: propertySeed() },
      );
    }
    // The node is still healthy after all of it.
    expect((await t.api.get('/api/health')).status).toBe(200);
    console.log(`fuzz: ${fuzzStats.requests} requests on ${ops.length} operations in ${Date.now() - started} ms`);
  }, 180_000);

  it('answers hostile transport-level input (deep nesting, huge numbers, NUL bytes, odd headers) without a 5xx', async () => {
    const user = await registerUser(t.api);
    const cases: Array<{ method: string; path: string; raw?: string; headers?: Record<string, string>; token?: string }> = [
      { method: 'POST', path: '/api/auth/login/', raw: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
      { method: 'POST', path: '/api/auth/login/', raw: `{"a":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_001)}` },
      { method: 'POST', path: '/api/auth/login/', raw: '{"username": "\\u0000", "password": "\\u0000"}' },
      { method: 'POST', path: '/api/auth/register/', raw: '{"username": "ab\\u0000cd", "password": "Str0ng-Passw0rd!"}' },
      { method: 'PATCH', path: '/api/users/me/', raw: '{"username": "x\\u0000y"}', token: user.access },
      { method: 'POST', path: '/api/chat/', raw: '{"username": "\\u0000"}', token: user.access },
      { method: 'POST', path: '/api/users/me/friend_requests/', raw: '{"username": "\\u0000"}', token: user.access },
      { method: 'POST', path: '/api/users/me/blocked/', raw: '{"user_id": 99999999999999999999}', token: user.access },
      { method: 'POST', path: '/api/users/me/blocked/', raw: '{"user_id": 2147483648}', token: user.access },
      { method: 'GET', path: '/api/users/2147483648/', token: user.access },
      { method: 'GET', path: '/api/users/9223372036854775808/', token: user.access },
      { method: 'GET', path: '/api/chat/2147483648/', token: user.access },
      { method: 'GET', path: '/api/game/matches/2147483648/', token: user.access },
      { method: 'GET', path: '/api/game/tournaments/2147483648/', token: user.access },
      { method: 'GET', path: '/api/users/me/friends/2147483648/', token: user.access },
      { method: 'GET', path: '/api/chat/?limit=2147483648&offset=9223372036854775808', token: user.access },
      { method: 'GET', path: '/api/chat/?limit=-1&offset=-1&q=%00', token: user.access },
      { method: 'GET', path: `/api/chat/?q=${'%F0%9F%98%80'.repeat(200)}`, token: user.access },
      { method: 'GET', path: '/api/users/me/', headers: { authorization: `Bearer ${'a'.repeat(8000)}` } },
      { method: 'GET', path: '/api/users/me/', headers: { authorization: 'Bearer a.b.c d' } },
      { method: 'POST', path: '/api/auth/refresh/', raw: JSON.stringify({ refresh: user.access }) },
      { method: 'POST', path: '/api/auth/refresh/', raw: JSON.stringify({ refresh: 'eyJhbGciOiJub25lIn0.eyJzdWIiOjF9.' }) },
      { method: 'GET', path: '/api/users/me/', headers: { authorization: 'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoxLCJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.' } },
      { method: 'GET', path: '/api/users/me/', headers: { 'content-type': 'application/json', 'content-length': '0' }, token: user.access },
      { method: 'POST', path: '/api/auth/login/', raw: '{"username":"a","password":"b"}', headers: { 'content-type': 'application/json; charset=latin1' } },
    ];
    for (const c of cases) {
      const t0 = Date.now();
      const res = await t.api.request(c.method, c.path, { rawBody: c.raw, headers: c.headers, token: c.token });
      fuzzStats.requests += 1;
      checkAnswer(`${c.method} ${c.path.slice(0, 80)} ${c.raw?.slice(0, 40) ?? ''}`, res, Date.now() - t0);
    }
  });

  it('names the offending field even when its key holds a line break (the fuzzer found `{}` as the answer)', async () => {
    const user = await registerUser(t.api);
    const res = await t.api.request('DELETE', '/api/users/me/', { token: user.access, rawBody: '{"a\\nb\\u0000": 1, "password": {}}' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ 'a\nb': ['Null characters are not allowed.'] });
    const typed = await t.api.request('PATCH', '/api/users/me/', { token: user.access, rawBody: '{"line\\nbreak": 1, "username": 5}' });
    expect(typed.status).toBe(400);
    expect(isSpecErrorBody(typed.body)).toBe(true);
    expect(Object.keys(typed.body).length).toBeGreaterThan(0);
  });
});
