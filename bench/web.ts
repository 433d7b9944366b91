/**
 * The web client's performance figures (issue 7), against a real server
 * process (dist/, as `npm start` runs it) on loopback, with Debian's Chromium:
 *
 * 1. initial JavaScript: the scripts index.html loads (module entry and
 *    modulepreloads), gzipped (level 9 and the default 6), and what the
 *    browser actually transferred for scripts on the first visit (target
 *    < 250 kB gzipped), and the encoding the server answers with;
 * 2. first page interactive: navigation start -> the home page's Play button
 *    enabled with the (guest) session in place, measured in the page with the
 *    Performance API (`performance.now()`, whose origin is the navigation
 *    start), on cold visits (new browser context: new guest, empty cache)
 *    and warm ones (reload) (target < 1 s);
 * 3. game loop: the online duel page against a bot (src/game/bot over the
 *    real game socket), frame intervals of the canvas loop
 *    (`window.__pongFrameTimes`, one entry per requestAnimationFrame) over
 *    10 s of play (target 60 frames/s: mean ~16.7 ms).
 *
 * Env: BENCH_LOADS (cold and warm visits each, default 10), BENCH_PLAY_SECONDS (10),
 * CHROMIUM_PATH (default: a system Chromium, else the packaged one). Prints one JSON report.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { request } from 'undici';
import { LiveStream } from '../src/client/events.js';
import type { ApiClient } from '../src/client/http.js';
import { startBot, type BotHandle } from '../src/game/bot/index.js';
import { resolveChromium } from '../test/support/chromium.js';
import { apiClient, insecure, must, percentile, startBenchServer, transport } from './server-process.js';

const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const PLAY_SECONDS = Number(process.env.BENCH_PLAY_SECONDS ?? 10);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEB_DIST = new URL('../web/dist/', import.meta.url).pathname;

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: round(sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length), 2),
    p50: round(percentile(sorted, 50), 2),
    p95: round(percentile(sorted, 95), 2),
    p99: round(percentile(sorted, 99), 2),
    max: round(sorted[sorted.length - 1] ?? NaN, 2),
  };
};

// --- 1. initial JavaScript ---------------------------------------------------------

function initialScripts(): string[] {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  return [...new Set([...srcs, ...preloads])];
}

function jsSizes() {
  const files = initialScripts().map((src) => {
    const body = readFileSync(join(WEB_DIST, src.replace(/^\//, '')));
    return { file: src, raw: body.length, gzip9: gzipSync(body, { level: 9 }).length, gzip6: gzipSync(body).length };
  });
  const sum = (key: 'raw' | 'gzip9' | 'gzip6') => files.reduce((s, f) => s + f[key], 0);
  return { files, rawBytes: sum('raw'), gzipBytes: sum('gzip9'), gzipDefaultLevelBytes: sum('gzip6') };
}

// --- 2. first page interactive ------------------------------------------------------------

/**
 * In the page, from the first script on: the time the Play button is enabled
 * and the guest is signed in. A string, so that the TypeScript loader's
 * helpers (`__name`) do not end up in the page.
 */
const WATCH_INTERACTIVE = `(() => {
  const ready = () => {
    const play = document.querySelector('[data-testid="play"]');
    return Boolean(play && !play.disabled && document.querySelector('a[aria-label^="Profile of "]'));
  };
  const mark = () => {
    if (window.__interactiveAt === undefined && ready()) window.__interactiveAt = performance.now();
    return window.__interactiveAt !== undefined;
  };
  // The DOM change itself (a MutationObserver callback runs before the next paint), with rAF as a fallback.
  const observer = new MutationObserver(() => { if (mark()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const poll = () => { if (!mark()) requestAnimationFrame(poll); };
  poll();
})();`;

interface Visit {
  interactiveMs: number;
  domContentLoadedMs: number;
  loadMs: number;
  scriptTransferBytes: number;
  scriptDecodedBytes: number;
}

async function visit(page: Page, url: string, reload: boolean): Promise<Visit> {
  if (reload) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => (window as any).__interactiveAt !== undefined, undefined, { timeout: 10_000 });
  await page.waitForLoadState('load');
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const scripts = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
    return {
      interactiveMs: (window as any).__interactiveAt as number,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      loadMs: nav.loadEventEnd,
      scriptTransferBytes: scripts.reduce((s, r) => s + r.transferSize, 0),
      scriptDecodedBytes: scripts.reduce((s, r) => s + r.decodedBodySize, 0),
    };
  });
}

async function firstInteractive(browser: Browser, url: string) {
  const cold: Visit[] = [];
  const warm: Visit[] = [];
  for (let i = 0; i < LOADS + 1; i++) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 860 } });
    await context.addInitScript({ content: WATCH_INTERACTIVE });
    const page = await context.newPage();
    const first = await visit(page, url, false);
    const again = await visit(page, url, true);
    // The first visit of the run also warms the server (JIT, file cache): not counted.
    if (i > 0) {
      cold.push(first);
      warm.push(again);
    }
    await context.close();
  }
  const summary = (visits: Visit[]) => ({
    interactiveMs: stats(visits.map((v) => v.interactiveMs)),
    domContentLoadedMedianMs: round(median(visits.map((v) => v.domContentLoadedMs))),
    loadMedianMs: round(median(visits.map((v) => v.loadMs))),
  });
  return {
    cold: summary(cold),
    warm: summary(warm),
    scriptTransferBytesFirstVisit: cold[0]?.scriptTransferBytes ?? null,
    scriptDecodedBytesFirstVisit: cold[0]?.scriptDecodedBytes ?? null,
  };
}

// --- 3. game loop ---------------------------------------------------------------------------

/** A guest with an open SSE stream (every play endpoint needs one), ready to queue. */
async function botUser(url: string): Promise<{ api: ApiClient; access: string; close: () => void }> {
  const api = apiClient(url);
  const tokens = await must(api.typed.POST('/api/auth/guest/'));
  api.setTokens(tokens);
  const stream = new LiveStream({ api, fetch: transport.fetchUrl, onEvent: () => {} });
  stream.start();
  await stream.whenUp();
  if (stream.current.status !== 'up') throw new Error(`sse: ${stream.current.error}`);
  // Let the server count the stream as open before queueing.
  await new Promise((r) => setTimeout(r, 300));
  return { api, access: tokens.access, close: () => stream.stop() };
}

async function gameLoop(browser: Browser, url: string) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const bots: BotHandle[] = [];
  const streams: Array<() => void> = [];
  const intervals: number[] = [];
  let games = 0;
  try {
    await page.goto(url);
    await page.getByRole('link', { name: /^Profile of / }).waitFor();
    const deadline = { end: 0 };
    while (deadline.end === 0 || Date.now() < deadline.end) {
      games += 1;
      if (games === 1) await page.getByTestId('play').click();
      else await page.getByRole('button', { name: 'Play again' }).click();
      await page.getByText('Waiting for an opponent…').waitFor();
      const bot = await botUser(url);
      streams.push(bot.close);
      await must(bot.api.typed.POST('/api/play/duel/'));
      await page.getByTestId('match-code').waitFor({ timeout: 15_000 });
      bots.push(startBot(url, bot.access, { skill: 'medium', insecure: true }));
      // The person holds still: the bot scores now and then; the ball is in play most of the time.
      await page.waitForFunction(() => (window as any).__pongFrameTimes?.length > 0);
      await page.evaluate(() => { (window as any).__pongFrameTimes.length = 0; });
      if (deadline.end === 0) deadline.end = Date.now() + PLAY_SECONDS * 1000;
      // Collect until the game is over or the time is up (the loop keeps at most 2000 entries: read every 2 s).
      for (;;) {
        await page.waitForTimeout(Math.min(2000, Math.max(0, deadline.end - Date.now())));
        const over = await page.getByTestId('game-over').count() > 0;
        const chunk = await page.evaluate((stop) => {
          const times = (window as any).__pongFrameTimes as number[];
          const taken = times.splice(0, times.length);
          if (stop) (window as any).__pongFrameTimes = [];
          return taken;
        }, over);
        intervals.push(...chunk.slice(intervals.length === 0 ? 1 : 0));
        if (over || Date.now() >= deadline.end) break;
      }
      if (Date.now() >= deadline.end) break;
    }
  } finally {
    for (const bot of bots) bot.close();
    for (const close of streams) close();
    await context.close();
  }
  const s = stats(intervals);
  const total = intervals.reduce((sum, v) => sum + v, 0);
  return {
    seconds: round(total / 1000, 2),
    games,
    frames: intervals.length,
    fps: round((intervals.length / total) * 1000, 1),
    frameIntervalMs: s,
    over20ms: intervals.filter((v) => v > 20).length,
    over33ms: intervals.filter((v) => v > 33.4).length,
  };
}

// --- main ------------------------------------------------------------------------------------

const build = spawnSync(process.execPath, ['scripts/build-web.mjs'], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('building the web client failed');
const server = await startBenchServer();
const resolved = await resolveChromium();
console.error(`browser: ${resolved.description}`);
const browser = await chromium.launch({ executablePath: resolved.executablePath, args: [...FLAGS, ...resolved.extraArgs] });
try {
  const js = jsSizes();
  // What the server sends for the entry script to a browser that accepts br/gzip.
  const served = await request(`${server.url}${js.files[0].file}`, { dispatcher: insecure, headers: { 'accept-encoding': 'br, gzip' } });
  const servedBytes = (await served.body.arrayBuffer()).byteLength;
  const wire = { contentEncoding: served.headers['content-encoding'] ?? 'identity', entryScriptBytes: servedBytes };
  const interactive = await firstInteractive(browser, server.url);
  const loop = await gameLoop(browser, server.url);
  const report = {
    bench: 'web',
    date: new Date().toISOString(),
    chromium: browser.version(),
    initialJs: { ...js, wire, targetGzipBytes: 250_000, ok: js.gzipBytes < 250_000 },
    firstInteractive: { ...interactive, targetMs: 1000, ok: interactive.cold.interactiveMs.max < 1000 },
    gameLoop: { ...loop, targetFps: 60, ok: loop.fps >= 58 && loop.frameIntervalMs.p95 < 20 },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  await server.stop();
}
