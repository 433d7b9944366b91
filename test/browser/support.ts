import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ManualClock } from '../../src/platform/clock.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { resolveChromium } from '../support/chromium.js';
import { ApiClient } from '../support/http.js';
import { startTestServer, type TestServer } from '../support/server.js';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
/** Screenshots of the main pages, kept as test artifacts (git-ignored; CI uploads the directory). */
export const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? fileURLToPath(new URL('../../test-artifacts/screenshots', import.meta.url));

/** A system Chromium when there is one, else the packaged one (test/support/chromium.ts). */
export async function launchBrowser(): Promise<Browser> {
  const resolved = await resolveChromium();
  return chromium.launch({ executablePath: resolved.executablePath, args: [...CHROMIUM_FLAGS, ...resolved.extraArgs] });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, for assertions. */
  errors: string[];
  /** `<status> <method> <path>` of every HTTP answer >= 400 (some are expected, e.g. leaving an empty queue). */
  httpErrors: string[];
}

export async function openTab(browser: Browser, server: TestServer, options: { viewport?: { width: number; height: number }; hasTouch?: boolean } = {}): Promise<Tab> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    baseURL: server.publicUrl,
    viewport: options.viewport ?? { width: 1280, height: 860 },
    hasTouch: options.hasTouch,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const httpErrors: string[] = [];
  keepLastScreens(context, page, errors, httpErrors);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) httpErrors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return { context, page, errors, httpErrors };
}

let closedTabs = 0;
/**
 * With BROWSER_LAST_SCREENS=<dir> (for chasing a flaky test; off by default),
 * each tab's last screen, address, text and a timed log of its navigations,
 * console, game sockets and live-stream events are kept there as it closes (a
 * failing test closes its tabs in `finally` before anybody knows it failed):
 * what the page showed, and went through, when the test gave up.
 */
function keepLastScreens(context: BrowserContext, page: Page, errors: string[], httpErrors: string[]): void {
  const dir = process.env.BROWSER_LAST_SCREENS;
  if (!dir) return;
  const log: string[] = [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  page.on('console', (message) => log.push(`${stamp()} console.${message.type()}: ${message.text()}`));
  page.on('framenavigated', (frame) => frame === page.mainFrame() && log.push(`${stamp()} at ${frame.url()}`));
  page.on('websocket', (socket) => {
    const url = socket.url().replace(/token=[^&]+/, 'token=…');
    log.push(`${stamp()} ws open ${url}`);
    socket.on('close', () => log.push(`${stamp()} ws closed ${url}`));
    socket.on('socketerror', (error) => log.push(`${stamp()} ws error ${url} ${error}`));
  });
  // In the page: each game socket's close code, and each event of the live stream (a copy of its body is read).
  void context.addInitScript(() => {
    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('close', (event) => console.debug(`ws close code=${event.code} reason=${event.reason}`));
      }
    } as typeof WebSocket;
    const nativeFetch = window.fetch.bind(window);
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await nativeFetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!url.includes('/sse/') || !response.body) return response;
      const [kept, watched] = response.body.tee();
      void (async () => {
        const reader = watched.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return console.debug('sse ended');
          for (const line of value.split('\n')) if (line.startsWith('data:') && !line.includes('"ping"')) console.debug(`sse ${line.slice(5, 300)}`);
        }
      })().catch((error) => console.debug(`sse failed ${error}`));
      return new Response(kept, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    const tab = ++closedTabs;
    const test = (expect.getState().currentTestName ?? 'outside-a-test').replace(/[^\w]+/g, '-').slice(0, 100);
    mkdirSync(dir, { recursive: true });
    for (const [index, page] of context.pages().entries()) {
      const name = `${dir}/${test}-tab${tab}-page${index}`;
      await page.screenshot({ path: `${name}.png`, timeout: 5000 }).catch(() => {});
      const text = await page.evaluate(() => document.body?.innerText ?? '', undefined).catch((error) => String(error));
      writeFileSync(`${name}.txt`, [page.url(), `errors: ${errors.join(' | ')}`, `http: ${httpErrors.join(' | ')}`, '', text, '', ...log.slice(-400)].join('\n'));
    }
    return close(options);
  };
}

/** Arrives on `/` as a guest and waits for the identity card. */
export async function arrive(tab: Tab, path = '/'): Promise<void> {
  await tab.page.goto(path);
  await tab.page.getByRole('link', { name: /^Profile of / }).waitFor();
}

/** The username the tab is signed in as, read from the header's identity card. */
export async function usernameOf(tab: Tab): Promise<string> {
  const label = await tab.page.getByRole('link', { name: /^Profile of / }).getAttribute('aria-label');
  return label!.replace(/^Profile of /, '');
}

/** Registers the current guest from the header's Login drop-down. */
export async function registerFromHeader(page: Page, username: string, password = 'Str0ng-Passw0rd!'): Promise<void> {
  await page.getByTestId('login-button').click();
  await page.getByRole('tab', { name: 'Register' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('link', { name: `Profile of ${username}` }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path });
  return path;
}

/**
 * Lets the server's manual clock follow real time (×`rate`), so that game
 * rooms tick while a browser plays. Returns the stop function.
 */
export function runClock(clock: ManualClock, rate = 1, stepMs = 8): () => void {
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    clock.advance((now - last) * rate);
    last = now;
  }, stepMs);
  return () => clearInterval(timer);
}

/**
 * Waits until `userId` plays a live match (of `gameMode`, when given) that a
 * player has joined, and answers its id. From then on the 5 s a new match
 * gives its players to connect (on the server's clock) no longer run: a test
 * may hold the clock still, or run it fast, without the match being dropped.
 */
export async function joinedMatch(server: TestServer, userId: number, gameMode?: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await server.platform.db
      .selectFrom('match_players')
      .innerJoin('matches', 'matches.id', 'match_players.match_id')
      .select(['matches.id', 'matches.game_mode', 'matches.game_start'])
      .where('match_players.live_user_id', '=', userId)
      .executeTakeFirst();
    if (row && row.game_start === 1 && (!gameMode || row.game_mode === gameMode)) return row.id;
    if (Date.now() > deadline) throw new Error(`user ${userId} joined no live ${gameMode ?? ''} match within ${timeoutMs} ms (now: ${JSON.stringify(row ?? null)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The user id the tab is signed in as (from its stored access token). */
export async function userIdOf(tab: Tab): Promise<number> {
  return tab.page.evaluate(() => JSON.parse(atob(JSON.parse(localStorage.getItem('pong.tokens')!).access.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).user_id as number);
}

/** `env`: settings of this server on top of the test servers' (e.g. a limit the test exercises). */
export async function startServerWithClient(env: Record<string, string> = {}): Promise<TestServer> {
  // BROWSER_SERVER_LOG=<file>: the server's log lines (LOG_LEVEL, default info) are appended there.
  const logFile = process.env.BROWSER_SERVER_LOG;
  if (!logFile) return startTestServer({ env });
  return startTestServer({
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...env },
    logStream: { write: (line) => appendFileSync(logFile, line.endsWith('\n') ? line : `${line}\n`) },
  });
}

export interface BrowserWorld {
  server: TestServer;
  browser: Browser;
  /** The server's public API, for what a test arranges outside the page. */
  api: ApiClient;
}

/** One server (with the built client) and one Chromium for the whole test file: started before its tests, closed after them. */
export function useBrowserWorld(env: Record<string, string> = {}): BrowserWorld {
  const world = {} as BrowserWorld;
  beforeAll(async () => {
    world.server = await startServerWithClient(env);
    world.api = new ApiClient(world.server.publicUrl);
    world.browser = await launchBrowser();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.server?.close();
  });
  return world;
}

export const uniqueUser = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 8)}`;

/** A new browser context signed in as `user`, arrived on `path`. */
export async function signedInTab(world: BrowserWorld, user: { access: string; refresh: string }, path = '/'): Promise<Tab> {
  const tab = await openTab(world.browser, world.server);
  await signIn(tab, user);
  await arrive(tab, path);
  return tab;
}

/** Starts the tab already signed in as `user` (tokens in the client's storage before the first load). */
export async function signIn(tab: Tab, user: { access: string; refresh: string }): Promise<void> {
  await tab.context.addInitScript((tokens) => {
    if (!localStorage.getItem('pong.tokens')) localStorage.setItem('pong.tokens', JSON.stringify(tokens));
  }, { access: user.access, refresh: user.refresh });
}
