import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { arrive, joinedMatch, runClock, type Tab, userIdOf, useBrowserWorld } from './support.js';

/**
 * The game feels like a game: sounds (only after a gesture, never while
 * muted), effects (no shake or flash with reduced motion), and a phone held
 * upright gets the field turned to fill the screen, with a paddle to drag.
 * The page's hooks are `window.__pongEffects` (web/src/game/counters.ts)
 * and, installed here, `window.__audio`: AudioContexts made and sources
 * started.
 */

/** Counts AudioContexts created and oscillator / buffer sources started, before any page script runs. */
function instrumentAudio(): void {
  const counts = { contexts: 0, starts: 0 };
  (window as any).__audio = counts;
  for (const name of ['AudioContext', 'webkitAudioContext']) {
    const Original = (window as any)[name];
    if (typeof Original !== 'function') continue;
    (window as any)[name] = class extends Original {
      constructor(...args: unknown[]) {
        super(...args);
        counts.contexts += 1;
      }
    };
  }
  for (const Node of [window.OscillatorNode, window.AudioBufferSourceNode]) {
    if (!Node) continue;
    const start = Node.prototype.start;
    Node.prototype.start = function (this: AudioScheduledSourceNode, ...args: [number?]) {
      counts.starts += 1;
      return start.apply(this, args);
    };
  }
}

type Effects = {
  hits: number; walls: number; goals: number; shakes: number; flashes: number; serveCues: number;
  sounds: Record<string, number>; reducedMotion: boolean; rotated: boolean; controlled: number | null;
  labels: Array<{ text: string; px: number; color: string; background: string }>;
};

const effects = (page: Page) => page.evaluate(() => (window as any).__pongEffects as Effects);
const audio = (page: Page) => page.evaluate(() => (window as any).__audio as { contexts: number; starts: number });

/** Waits until every named counter reaches its minimum (`sounds.hit` for a sound). The page's CSP forbids evaluating strings. */
async function waitForEffects(page: Page, minimums: Record<string, number>, timeout = 60_000): Promise<void> {
  await page.waitForFunction((wanted) => {
    const e = (window as any).__pongEffects;
    return !!e && Object.entries(wanted).every(([path, min]) => path.split('.').reduce((value: any, key) => value?.[key], e) >= min);
  }, minimums, { timeout, polling: 100 });
}

/**
 * Keeps the person's paddle in front of the ball with the arrow keys until stopped, so that the ball is hit
 * whatever the computer does (on a loaded machine it may miss every ball of a game). Reads what the page
 * drew: the ball's top-left corner and the paddle's top (field units; a 1v1 paddle is 200 high).
 */
function followBall(page: Page): () => Promise<void> {
  let running = true;
  let held: 'ArrowUp' | 'ArrowDown' | null = null;
  const press = async (key: 'ArrowUp' | 'ArrowDown' | null) => {
    if (key === held) return;
    if (held) await page.keyboard.up(held);
    if (key) await page.keyboard.down(key);
    held = key;
  };
  const loop = (async () => {
    while (running) {
      const seen = await page.evaluate(() => {
        const e = (window as any).__pongEffects;
        return e?.ball && e.controlled !== null ? { ball: e.ball.y + 10, paddle: e.controlled + 100 } : null;
      }).catch(() => null);
      const gap = seen ? seen.ball - seen.paddle : 0;
      await press(gap < -40 ? 'ArrowUp' : gap > 40 ? 'ArrowDown' : null).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await press(null).catch(() => {});
  };
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

function expectReadableLabels(labels: Effects['labels']): void {
  expect(labels.length).toBeGreaterThan(0);
  for (const label of labels) {
    expect(label.px, `"${label.text}" is too small`).toBeGreaterThanOrEqual(14);
    expect(contrast(label.color, label.background), `"${label.text}" (${label.color} on ${label.background})`).toBeGreaterThanOrEqual(4.5);
  }
}

// Retried: the hits these tests wait for come from games the page or the server plays in real time, and on a
// loaded machine (the CI's second browser run) a game now and then ends with no ball returned (two runs on
// 2026-12-05). Each run still has to see everything it checks.
describe('the game feels like a game', { timeout: 180_000, retry: 2 }, () => {
  const world = useBrowserWorld();

  async function open(options: BrowserContextOptions = {}): Promise<Tab> {
    const context = await world.browser.newContext({ ignoreHTTPSErrors: true, baseURL: world.server.publicUrl, viewport: { width: 1366, height: 800 }, ...options });
    await context.addInitScript(instrumentAudio);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
    });
    return { context, page, errors, httpErrors: [] };
  }

  async function playLocal(page: Page): Promise<void> {
    await page.getByRole('dialog', { name: 'Local game' }).waitFor();
    await page.getByRole('radio', { name: 'Bot' }).check();
    await page.getByRole('button', { name: 'Play' }).click();
  }

  it('no sound before a gesture; after a click a game with hits plays them; muted (remembered after a reload) nothing starts', async () => {
    const stopClock = runClock(world.server.clock, 1);
    const silent = await open();
    const loud = await open();
    const muted = await open();
    try {
      // A game against the computer opened straight from its address: no gesture yet, so no AudioContext, though the countdown ran.
      await arrive(silent, '/game/computer');
      await silent.page.getByTestId('match-code').waitFor();
      await waitForEffects(silent.page, { serveCues: 1 }, 20_000);
      await silent.page.waitForTimeout(1000);
      expect(await audio(silent.page)).toEqual({ contexts: 0, starts: 0 });
      expect(Object.values((await effects(silent.page)).sounds).every((n) => n === 0)).toBe(true);

      // A click (Play), then a game with hits: the sounds start, in one context.
      await arrive(loud, '/game/local?speed=5');
      await loud.page.waitForTimeout(500);
      expect((await audio(loud.page)).contexts).toBe(0);
      await playLocal(loud.page);
      await loud.page.keyboard.down('ArrowUp');
      await waitForEffects(loud.page, { hits: 1, goals: 1, 'sounds.hit': 1, 'sounds.goal': 1 }).catch(async (error) => {
        console.log('loud page:', JSON.stringify(await effects(loud.page)), JSON.stringify(await audio(loud.page)));
        throw error;
      });
      const heard = await audio(loud.page);
      expect(heard.contexts).toBe(1);
      expect(heard.starts).toBeGreaterThan(3);
      const seen = await effects(loud.page);
      // The countdown's beat (at 5x speed a slow frame may skip a step).
      expect(seen.sounds.tick).toBeGreaterThanOrEqual(1);
      // Without reduced motion a goal shakes the field and flashes.
      expect(seen.shakes).toBeGreaterThanOrEqual(1);
      expect(seen.flashes).toBeGreaterThanOrEqual(1);
      await expect(loud.page.getByRole('button', { name: 'Mute sounds' }).getAttribute('aria-pressed')).resolves.toBe('false');

      // Muted with the button during a game, still muted after a reload: a whole game plays nothing, and no context is even made.
      await arrive(muted, '/game/local?speed=5');
      await playLocal(muted.page);
      const button = muted.page.getByRole('button', { name: 'Mute sounds' });
      await button.click();
      await expect(button.getAttribute('aria-pressed')).resolves.toBe('true');
      await muted.page.reload();
      await muted.page.getByTestId('game-canvas').waitFor();
      await expect(muted.page.getByRole('button', { name: 'Mute sounds' }).getAttribute('aria-pressed')).resolves.toBe('true');
      await muted.page.waitForTimeout(300);
      // The demo behind the dialog counts too: wait for hits and a goal of the game itself.
      const demo = await effects(muted.page);
      await playLocal(muted.page);
      await muted.page.keyboard.down('ArrowUp');
      await waitForEffects(muted.page, { hits: demo.hits + 2, goals: demo.goals + 1 });
      expect(await audio(muted.page)).toEqual({ contexts: 0, starts: 0 });
      expect(Object.values((await effects(muted.page)).sounds).every((n) => n === 0)).toBe(true);
      // Sound back on with the M key (the game may be over by now, its dialog over the button): the next sounds play,
      // in a new game if that one has ended.
      await muted.page.keyboard.up('ArrowUp');
      await muted.page.keyboard.press('m');
      await expect(muted.page.getByRole('button', { name: 'Mute sounds' }).getAttribute('aria-pressed')).resolves.toBe('false');
      const sounding = () => muted.page.evaluate(() => (window as any).__audio.starts > 0);
      await muted.page.waitForFunction(() => (window as any).__audio.starts > 0 || !!document.querySelector('dialog[open]'), undefined, { timeout: 30_000 });
      if (!(await sounding())) await playLocal(muted.page);
      await muted.page.waitForFunction(() => (window as any).__audio.starts > 0, undefined, { timeout: 30_000 });
      expect([...silent.errors, ...loud.errors, ...muted.errors]).toEqual([]);
    } finally {
      stopClock();
      await Promise.all([silent.context.close(), loud.context.close(), muted.context.close()]);
    }
  });

  it('with reduced motion a goal neither shakes the field nor flashes', async () => {
    const tab = await open({ reducedMotion: 'reduce' });
    try {
      await arrive(tab, '/game/local?speed=4');
      await tab.page.waitForTimeout(300);
      const demo = await effects(tab.page);
      await playLocal(tab.page);
      await tab.page.keyboard.down('ArrowUp');
      await waitForEffects(tab.page, { goals: demo.goals + 2, hits: demo.hits + 1 });
      const seen = await effects(tab.page);
      expect(seen.reducedMotion).toBe(true);
      expect(seen.shakes).toBe(0);
      expect(seen.flashes).toBe(0);
      // The local game's scores and names on the canvas: readable.
      expectReadableLabels(seen.labels);
      expect(seen.labels.map((l) => l.text)).toEqual(expect.arrayContaining(['Bot', 'You']));
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });

  it('the winning goal of a local game is marked like every other goal (flash, pop, sound) before the result shows', async () => {
    const tab = await open();
    try {
      await arrive(tab, '/game/local?speed=5');
      await playLocal(tab.page);
      // From here the demo is over: every goal counted is the game's (the countdown comes first).
      const before = await effects(tab.page);
      await tab.page.keyboard.down('ArrowUp');
      const result = tab.page.getByTestId('local-result');
      await result.waitFor({ timeout: 90_000 });
      const after = await effects(tab.page);
      const [you, opponent] = (await result.textContent())!.match(/(\d+) – (\d+)/)!.slice(1).map(Number);
      expect(Math.max(you, opponent)).toBe(3);
      expect(after.goals - before.goals).toBe(you + opponent);
      expect(after.sounds.goal - before.sounds.goal).toBe(you + opponent);
      expect(tab.errors).toEqual([]);
    } finally {
      await tab.context.close();
    }
  });

  it('on a phone held upright the field fills the screen, the paddle follows a finger, and the text is readable', async () => {
    const stopClock = runClock(world.server.clock, 1);
    const tab = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const { page } = tab;
      await arrive(tab, '/game/computer');
      await page.getByTestId('match-code').waitFor();
      const canvas = page.getByTestId('game-canvas');
      const box = (await canvas.boundingBox())!;
      console.log(`phone 390x844: canvas ${box.width}x${box.height} at (${box.x}, ${box.y}): ${((box.height / 844) * 100).toFixed(1)}% of the height`);
      expect(box.height).toBeGreaterThanOrEqual(0.8 * 844);
      expect(box.width).toBeLessThanOrEqual(390);
      expect(box.y + box.height).toBeLessThanOrEqual(844 + 1);
      expect((await effects(page)).rotated).toBe(true);
      // The countdown, with its serve cue and the drag hint, then the point in play.
      await waitForEffects(page, { serveCues: 1 }, 20_000);
      await page.screenshot({ path: '/tmp/game-feel-phone-countdown.png' });
      expectReadableLabels((await effects(page)).labels);
      await page.waitForTimeout(2600);

      // A finger on the field, dragged to the right-hand edge: the paddle (at the bottom) follows it there
      // (field "up" is the screen's right), then back to the left-hand edge.
      const cdp = await tab.context.newCDPSession(page);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x?: number, y?: number) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: x === undefined ? [] : [{ x, y: y! }] });
      const y = box.y + box.height * 0.8;
      const before = (await effects(page)).controlled!;
      await touch('touchStart', box.x + box.width / 2, y);
      for (let step = 1; step <= 8; step++) await touch('touchMove', box.x + box.width / 2 + (box.width * 0.45 * step) / 8, y);
      await page.waitForFunction((start) => (window as any).__pongEffects.controlled < start - 100, before, { timeout: 12_000 });
      await page.screenshot({ path: '/tmp/game-feel-phone.png' });
      for (let step = 1; step <= 8; step++) await touch('touchMove', box.x + box.width * 0.95 - (box.width * 0.9 * step) / 8, y);
      await page.waitForFunction((start) => (window as any).__pongEffects.controlled > start + 100, before, { timeout: 12_000 });
      await touch('touchEnd');
      expectReadableLabels((await effects(page)).labels);
      expect(tab.errors).toEqual([]);
    } finally {
      stopClock();
      await tab.context.close();
    }
  });

  it('on a desktop the field keeps its place under the score bar, with the sound switch beside it', async () => {
    // The clock stands still until the game is joined (its players have 5 s of clock to connect, which a loaded machine may not give).
    let stopClock = () => {};
    const tab = await open();
    try {
      const { page } = tab;
      await arrive(tab, '/game/computer');
      await page.getByTestId('match-code').waitFor({ timeout: 60_000 });
      await joinedMatch(world.server, await userIdOf(tab), 'custom_game');
      stopClock = runClock(world.server.clock, 1);
      const box = (await page.getByTestId('game-canvas').boundingBox())!;
      expect(box.width).toBeGreaterThan(900);
      expect(box.height / box.width).toBeCloseTo(0.6, 2);
      expect((await effects(page)).rotated).toBe(false);
      await page.getByTestId('score-bar').waitFor();
      const mute = (await page.getByRole('button', { name: 'Mute sounds' }).boundingBox())!;
      expect(mute.x).toBeGreaterThanOrEqual(box.x + box.width);
      // The countdown and who the ball is served to, in words, readable.
      const labels = await (await page.waitForFunction(() => {
        const shown = (window as any).__pongEffects?.labels as Effects['labels'] | undefined;
        return shown?.some((l) => l.text.startsWith('Serve to')) ? shown.map((l) => ({ ...l })) : null;
      }, undefined, { timeout: 20_000, polling: 50 })).jsonValue() as Effects['labels'];
      await page.screenshot({ path: '/tmp/game-feel-desktop-countdown.png' });
      expectReadableLabels(labels);
      expect(labels.map((l) => l.text).join(' ')).toMatch(/Serve to (you|Computer \(medium\))/);
      // In play: the ball with its trail, a hit's flash and streak when a paddle returns it (his own follows the ball).
      const stopFollowing = followBall(page);
      try {
        await waitForEffects(page, { hits: 1 }).catch(async (error) => {
          console.log('desktop page effects:', JSON.stringify(await page.evaluate(() => (window as any).__pongEffects)));
          throw error;
        });
      } finally {
        await stopFollowing();
      }
      await page.waitForTimeout(120);
      await page.screenshot({ path: '/tmp/game-feel-desktop.png' });
      expect(tab.errors).toEqual([]);
    } finally {
      stopClock();
      await tab.context.close();
    }
  });
});
