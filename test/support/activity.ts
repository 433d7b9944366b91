import type { ApiClient, TestUser } from './http.js';
import type { TestServer } from './server.js';
import { dropStream, pastGrace, type Player } from './play.js';
import type { ReceivedEvent, SseClient } from './sse.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Counts {
  online: number;
  playing: number;
  live_matches: number;
  open_tournaments: number;
}

/**
 * Polls until `check` holds, moving the clock one second per attempt: a node
 * reads the activity again at most once per second on its clock, and the
 * change may reach it over the bus a moment after the request that made it.
 */
export async function eventuallyOnClock<T>(server: TestServer, read: () => Promise<T>, check: (value: T) => boolean, what: string, attempts = 40): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await read();
    if (check(last)) return last;
    server.clock.advance(1000);
    await sleep(25);
  }
  throw new Error(`${what}: never held; last ${JSON.stringify(last)}`);
}

export async function counts(api: ApiClient): Promise<Counts> {
  const res = await api.get('/api/activity/');
  if (res.status !== 200) throw new Error(`activity: ${res.status} ${res.text}`);
  return res.body;
}

/**
 * Lets what earlier tests left behind finish (closed streams past their
 * grace, refreshes), then answers the counts once every node gives the same
 * ones twice in a row.
 */
export async function quietCounts(server: TestServer, api: ApiClient): Promise<Counts> {
  server.clock.advance(server.config.streamGraceMs + 1000);
  for (const node of [server, server.second]) await node?.platform.streamGrace.settled();
  let previous = '';
  for (let i = 0; i < 40; i++) {
    server.clock.advance(1000);
    await sleep(40);
    const reads = [await counts(api), await counts(api)].map((c) => JSON.stringify(c));
    if (reads[0] === reads[1] && reads[0] === previous) return JSON.parse(reads[0]);
    previous = reads[0];
  }
  throw new Error('the counts never settled');
}

/** Waits until the counts (on whichever node answers) are `expected`. */
export function countsBecome(server: TestServer, api: ApiClient, expected: Counts): Promise<Counts> {
  return eventuallyOnClock(server, () => counts(api), (c) => JSON.stringify(c) === JSON.stringify(expected), `counts ${JSON.stringify(expected)}`);
}

/** The live list the user gets (every page, at most 100 a page). */
export async function liveCodes(api: ApiClient, user: TestUser): Promise<string[]> {
  const res = await api.get('/api/game/live/?limit=100', { token: user.access });
  if (res.status !== 200) throw new Error(`live: ${res.status} ${res.text}`);
  return res.body.results.map((m: { code: string }) => m.code);
}

export async function liveMatch(api: ApiClient, user: TestUser, code: string): Promise<any> {
  const res = await api.get('/api/game/live/?limit=100', { token: user.access });
  return res.body.results.find((m: { code: string }) => m.code === code);
}

export function activityEvents(stream: SseClient): ReceivedEvent[] {
  return stream.events.filter((e) => e.event === 'activity-update');
}

/** A ranked result that adds `trophies` to `user` (his side loses: a loss adds the change as given, floored at 0). */
export async function addTrophies(internal: ApiClient, winner: TestUser, user: TestUser, trophies: number): Promise<void> {
  const res = await internal.post('/api/private/users/result-match/', {
    game_mode: 'ranked', winner: 'a', looser: 'b',
    teams: { a: { score: 3, players: [{ id: winner.id, score: 3, trophies: 0 }] }, b: { score: 0, players: [{ id: user.id, score: 0, trophies }] } },
  });
  if (res.status !== 201) throw new Error(`result: ${res.status} ${res.text}`);
}

export interface LadderEntry {
  rank: number;
  id: number;
  username: string;
  profile_picture: { id: number; name: string; small: string; medium: string };
  trophies: number;
}

/** The whole ladder, page by page; empty if its `count` disagrees with the entries. */
export async function wholeLadder(api: ApiClient): Promise<LadderEntry[]> {
  const all: LadderEntry[] = [];
  let count = 0;
  for (let offset = 0; ; offset += 100) {
    const res = await api.get(`/api/users/leaderboard/?limit=100&offset=${offset}`);
    if (res.status !== 200) throw new Error(`ladder: ${res.status} ${res.text}`);
    all.push(...res.body.results);
    count = res.body.count;
    if (!res.body.next) break;
  }
  return all.length === count ? all : [];
}

/** The whole ladder once two reads in a row agree (under TEST_TWO_NODES, one from each node); else empty. */
export async function settledLadder(api: ApiClient): Promise<LadderEntry[]> {
  const [a, b] = [await wholeLadder(api), await wholeLadder(api)];
  return JSON.stringify(a) === JSON.stringify(b) ? a : [];
}

/**
 * Closes the players' streams one at a time, each past its reconnection
 * grace before the next: under TEST_TWO_NODES on SQLite, two nodes writing
 * presence at the same moment wait on the database lock (5 s, then one
 * write fails and its user stays online).
 */
export async function leave(server: TestServer, ...players: Player[]): Promise<void> {
  for (const p of players) {
    await dropStream(server, p);
    await pastGrace(server);
  }
}
