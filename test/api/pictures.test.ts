import { inflateSync } from 'node:zlib';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, insecureAgent, registerUser, uniqueName } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { befriend, openStream } from '../support/social.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const NAMES = [
  'Guest', 'Register', 'Tournament Winner', 'Tournament Master', 'Tournament God', 'Clash Winner', 'Clash Master', 'Clash God',
  'Duel Winner', 'Duel Master', 'Duel God', 'Ranked Bronze', 'Ranked Silver', 'Ranked Gold', 'Ranked Diamond', 'Ranked Master',
  'Ranked Mythic', 'Fun Player', 'Scorer', 'God Scorer', 'One Friend', 'Popular Guy', 'Win Streak Player',
];
const stem = (name: string) => name.toLowerCase().replace(/ /g, '_');

async function fetchBinary(path: string) {
  const res = await undiciRequest(`${server.publicUrl}${path}`, { dispatcher: insecureAgent });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: Buffer.from(await res.body.arrayBuffer()) };
}

/** Width, height and the inflated pixel rows of a PNG. */
function readPng(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('ascii');
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe('GET /api/users/profile-pictures/', () => {
  it('lists the 23 pictures: equipped first, then unlocked, then locked, each by id', async () => {
    const user = await registerUser(api);
    const friend = await registerUser(api);
    await befriend(api, user, friend);
    const res = await api.get('/api/users/profile-pictures/', { token: user.access });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(23);
    expect(res.body.map((p: any) => p.id)).toEqual([1, 20, 0, ...Array.from({ length: 21 }, (_, i) => i + 2).filter((id) => id !== 20)]);
    expect(res.body[0]).toEqual({
      id: 1, name: 'Register', unlock_reason: 'Register user.', unlock: true, is_equiped: true,
      url: '/assets/profile_pictures/register.png', small: '/assets/profile_pictures/register_small.png',
      medium: '/assets/profile_pictures/register_medium.png', large: '/assets/profile_pictures/register_large.png',
    });
    expect(res.body[1]).toMatchObject({ id: 20, name: 'One Friend', unlock: true, is_equiped: false, unlock_reason: 'Have at least one friend.' });
    expect(res.body[2]).toMatchObject({ id: 0, name: 'Guest', unlock: false, is_equiped: false, unlock_reason: 'Be a guest.' });
    const byId = new Map(res.body.map((p: any) => [p.id, p]));
    for (const [id, name] of NAMES.entries()) {
      expect(byId.get(id)).toMatchObject({ name, url: `/assets/profile_pictures/${stem(name)}.png`, large: `/assets/profile_pictures/${stem(name)}_large.png` });
    }
    expect((byId.get(22) as any).unlock_reason).toBe('Win more than 10 games in a row.');
  });

  it('guests see their Guest picture equipped', async () => {
    const guest = await createGuest(api);
    const res = await api.get('/api/users/profile-pictures/', { token: guest.access });
    expect(res.body[0]).toMatchObject({ id: 0, unlock: true, is_equiped: true });
    expect(res.body.filter((p: any) => p.unlock)).toHaveLength(1);
  });
});

describe('PUT/PATCH /api/users/profile-picture/<id>/', () => {
  it('equips an unlocked picture (one equipped at a time), refuses locked and unknown ones', async () => {
    const guest = await createGuest(api);
    expect((await api.put('/api/auth/register/guest/', { username: uniqueName('pic'), password: 'Str0ng-Passw0rd!' }, { token: guest.access })).status).toBe(200);
    const stream = await openStream(server, api, guest);

    const locked = await api.put('/api/users/profile-picture/5/', undefined, { token: guest.access });
    expect([locked.status, locked.body]).toEqual([403, { detail: 'You did not unlock this profile picture.' }]);
    const unknown = await api.patch('/api/users/profile-picture/23/', undefined, { token: guest.access });
    expect([unknown.status, unknown.body]).toEqual([404, { detail: 'Profile picture not found.' }]);
    expect((await api.put('/api/users/profile-picture/abc/', undefined, { token: guest.access })).status).toBe(404);

    const res = await api.put('/api/users/profile-picture/1/', { ignored: 1 }, { token: guest.access });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: 1, name: 'Register', unlock_reason: 'Register user.', unlock: true, is_equiped: true,
      url: '/assets/profile_pictures/register.png', small: '/assets/profile_pictures/register_small.png',
      medium: '/assets/profile_pictures/register_medium.png', large: '/assets/profile_pictures/register_large.png',
    });
    const me = await api.get('/api/users/me/', { token: guest.access });
    expect(me.body.profile_picture).toEqual({ id: 1, name: 'Register', small: '/assets/profile_pictures/register_small.png', medium: '/assets/profile_pictures/register_medium.png' });
    const list = await api.get('/api/users/profile-pictures/', { token: guest.access });
    expect(list.body.slice(0, 2).map((p: any) => [p.id, p.is_equiped])).toEqual([[1, true], [0, false]]);
    expect(list.body.filter((p: any) => p.is_equiped)).toHaveLength(1);

    const again = await api.patch('/api/users/profile-picture/1/', undefined, { token: guest.access });
    expect(again.status).toBe(200);
    const back = await api.patch('/api/users/profile-picture/0/', undefined, { token: guest.access });
    expect(back.body).toMatchObject({ id: 0, is_equiped: true });
    // Equipping is silent.
    await new Promise((r) => setTimeout(r, 100));
    expect(stream.notifications).toEqual([]);
    stream.close();
  });
});

describe('/assets/profile_pictures/', () => {
  it('serves a distinct PNG per picture in four sizes', async () => {
    const sizes: Array<[string, number]> = [['', 256], ['_small', 32], ['_medium', 64], ['_large', 512]];
    for (const [suffix, size] of sizes) {
      const res = await fetchBinary(`/assets/profile_pictures/one_friend${suffix}.png`);
      expect(res.status).toBe(200);
      expect(res.type).toBe('image/png');
      const png = readPng(res.body);
      expect([png.width, png.height]).toEqual([size, size]);
      expect(png.pixels.length).toBe(size * (size * 3 + 1));
    }
    const images = await Promise.all(NAMES.map((name) => fetchBinary(`/assets/profile_pictures/${stem(name)}_small.png`)));
    expect(images.every((i) => i.status === 200)).toBe(true);
    expect(new Set(images.map((i) => i.body.toString('base64'))).size).toBe(23);
    expect((await fetchBinary('/assets/profile_pictures/nobody.png')).status).toBe(404);
    expect((await fetchBinary('/assets/profile_pictures/one_friend_huge.png')).status).toBe(404);
  });
});
