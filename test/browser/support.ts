import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ManualClock } from '../../src/platform/clock.js';
import { afterAll, beforeAll } from 'vitest';
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
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) httpErrors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
  });
  return { context, page, errors, httpErrors };
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

export async function startServerWithClient(): Promise<TestServer> {
  return startTestServer();
}

export interface BrowserWorld {
  server: TestServer;
  browser: Browser;
  /** The server's public API, for what a test arranges outside the page. */
  api: ApiClient;
}

/** One server (with the built client) and one Chromium for the whole test file: started before its tests, closed after them. */
export function useBrowserWorld(): BrowserWorld {
  const world = {} as BrowserWorld;
  beforeAll(async () => {
    world.server = await startServerWithClient();
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
