import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { closeAll } from '../support/play.js';
import { envelopesOf, idsOf, runFull } from './helpers.js';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.publicUrl);
});
afterAll(async () => server.close());

describe('a tournament of 16 played by bots', () => {
  it('16 players: round of 16 by slot, then quarter-finals, semi-finals and final numbered 3 to 9', { timeout: 180_000 }, async () => {
    const { all } = await runFull(server, api, 16);
    const last = envelopesOf(all[15], 'tournament-match-finish').at(-1).data.matches;
    const seed = (id: number | null) => all.findIndex((p) => p.id === id) + 1;
    expect(Object.keys(last)).toEqual(['final', 'semi-final', 'quarter-final', 'round-of-16']);
    expect(last['round-of-16'].map((m: any) => idsOf(m).map(seed))).toEqual([[1, 16], [8, 9], [4, 13], [5, 12], [2, 15], [7, 10], [3, 14], [6, 11]]);
    expect(last['round-of-16'].map((m: any) => m.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(last['quarter-final'].map((m: any) => [m.n, ...idsOf(m).map(seed)])).toEqual([[3, 1, 8], [4, 4, 5], [5, 2, 7], [6, 3, 6]]);
    expect(last['semi-final'].map((m: any) => [m.n, ...idsOf(m).map(seed)])).toEqual([[7, 1, 4], [8, 2, 3]]);
    expect(last.final.map((m: any) => [m.n, ...idsOf(m).map(seed)])).toEqual([[9, 1, 2]]);
    await closeAll(...all);
  });
});
