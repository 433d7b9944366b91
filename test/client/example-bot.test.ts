import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { playOneDuel } from '../../src/client/examples/duel-bot.js';
import { nodeApiClient, type NodeTransport } from '../../src/client/node.js';
import { useTestServer } from '../support/fixture.js';
import { pump } from '../support/game.js';

/** The bot of src/client/README.md, as a third party would run it: two of them find each other in the duel queue and play it out. */
describe('the README bot', () => {
  const fixture = useTestServer();
  const transports: NodeTransport[] = [];
  afterAll(async () => { await Promise.all(transports.map((t) => t.close())); });

  async function guest() {
    const { api, transport } = nodeApiClient({ baseUrl: fixture.server.publicUrl, insecure: true });
    transports.push(transport);
    const created = await api.typed.POST('/api/auth/guest/');
    api.setTokens(created.data!);
    const me = await api.typed.GET('/api/users/me/');
    return { api, transport, id: me.data!.id };
  }

  it('plays a whole duel against another one', { timeout: 180_000 }, async () => {
    const [one, two] = await Promise.all([guest(), guest()]);
    let done = 0;
    const results = [one, two].map((bot) => playOneDuel(bot.api, bot.id, bot.transport.fetchUrl as typeof fetch).then((over) => { done += 1; return over; }));
    await pump(fixture.server.clock, 600_000, { until: () => done === 2 });
    const [overOne, overTwo] = await Promise.all(results);
    expect(overOne).toEqual(overTwo);
    expect(overOne.reason).toBe('normal-end');
    expect(Math.max(overOne.team_a, overOne.team_b)).toBe(3);
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../src/client/README.md', import.meta.url), 'utf8');
    const shown = readme.split('## A bot in 20 lines')[1].split('```ts')[1].split('```')[0].trim().split('\n');
    const source = readFileSync(new URL('../../src/client/examples/duel-bot.ts', import.meta.url), 'utf8').split('\n');
    expect(shown.length).toBeGreaterThan(15);
    expect(shown.filter((line) => !source.includes(line))).toEqual([]);
  });
});
