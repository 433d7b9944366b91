import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createGuest, uniqueName } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openStream, received, unlockEnvelope } from '../support/social.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

const REGISTER = { id: 1, name: 'Register', unlock_reason: 'Register user.', stem: 'register' };

describe('the "Register" picture unlock', () => {
  it('a guest who registers is told on his open stream, like every other unlock, once', async () => {
    const guest = await createGuest(api);
    const stream = await openStream(server, api, guest);
    try {
      const res = await api.put('/api/auth/register/guest/', { username: uniqueName('unl'), password: 'Str0ng-Passw0rd!' }, { token: guest.access });
      expect(res.status).toBe(200);
      expect((await stream.next('profile-picture-unlocked')).envelope).toEqual(unlockEnvelope(REGISTER));
      // The stream goes on for the registered account (same user), and the unlock is not repeated.
      const pictures = await api.get('/api/users/profile-pictures/', { token: res.body.access });
      expect(pictures.body.find((p: any) => p.id === 1)).toMatchObject({ unlock: true });
      await new Promise((r) => setTimeout(r, 150));
      expect(received(stream, 'profile-picture-unlocked')).toHaveLength(1);
      expect(stream.closed).toBe(false);
    } finally {
      stream.close();
    }
  });
});
