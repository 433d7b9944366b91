import { describe, expect, it } from 'vitest';
import { arrive, openTab, registerFromHeader, screenshot, uniqueUser, useBrowserWorld } from './support.js';

describe('web client shell', { timeout: 60_000 }, () => {
  const world = useBrowserWorld();

  it('serves the page with a CSP on every client route, and the API stays JSON', async () => {
    for (const path of ['/', '/profile', '/lobby/1234', '/no/such/page']) {
      const page = await world.api.get(path, { headers: { accept: 'text/html' }, noContentType: true });
      expect(page.status).toBe(200);
      expect(page.text).toContain('<div id="root">');
      expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    }
    const missing = await world.api.get('/api/no-such-endpoint/', { headers: { accept: 'text/html' } });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: 'Not found.' });
    const config = await world.api.get('/gameConfig.json');
    expect(config.body.canvas.normal).toEqual({ width: 1000, height: 600 });
  });

  it('a newcomer is a guest at once and sees the play choices', async () => {
    const tab = await openTab(world.browser, world.server);
    await arrive(tab);
    const { page } = tab;
    await expect(page.getByRole('heading', { name: 'Play Pong' }).isVisible()).resolves.toBe(true);
    for (const mode of ['Local', 'Duel', 'Clash', 'Custom Game', 'Tournament']) {
      expect(await page.getByRole('radio', { name: new RegExp(`^${mode}`) }).count()).toBe(1);
    }
    // Guests do not see Ranked, chat or friends.
    expect(await page.getByRole('radio', { name: /^Ranked/ }).count()).toBe(0);
    expect(await page.getByTestId('friends-button').count()).toBe(0);
    await screenshot(page, 'home-guest');
    // The session survives a reload (same guest).
    const name = await page.getByRole('link', { name: /^Profile of / }).getAttribute('aria-label');
    await page.reload();
    await page.getByRole('link', { name: name! }).waitFor();
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('registers the guest, logs out, and logs back in', async () => {
    const tab = await openTab(world.browser, world.server);
    const { page } = tab;
    await arrive(tab);
    const username = uniqueUser('reg');
    await registerFromHeader(page, username);
    expect(await page.getByTestId('friends-button').isVisible()).toBe(true);
    expect(await page.getByRole('radio', { name: /^Ranked/ }).count()).toBe(1);

    await page.getByRole('link', { name: `Profile of ${username}` }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('login-button').waitFor();

    await page.getByTestId('login-button').click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password', { exact: true }).fill('wrong-password-1');
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.locator('.field-error').first().waitFor();

    await page.getByLabel('Password', { exact: true }).fill('Str0ng-Passw0rd!');
    await page.getByRole('button', { name: 'Log in' }).last().click();
    await page.getByRole('link', { name: `Profile of ${username}` }).waitFor();
    expect(tab.errors.filter((e) => !e.includes('401'))).toEqual([]);
    await tab.context.close();
  });

  it('renders the 404 page inside the layout', async () => {
    const tab = await openTab(world.browser, world.server);
    await arrive(tab, '/this/does/not/exist');
    await tab.page.getByRole('heading', { name: '404' }).waitFor();
    expect(await tab.page.getByRole('button', { name: 'Privacy policy' }).isVisible()).toBe(true);
    await tab.page.getByRole('link', { name: 'Back home' }).click();
    await tab.page.getByRole('heading', { name: 'Play Pong' }).waitFor();
    await tab.context.close();
  });

  it('plays the local game against the bot to the end', async () => {
    const tab = await openTab(world.browser, world.server);
    const { page } = tab;
    await arrive(tab, '/game/local?speed=6');
    await page.getByRole('dialog', { name: 'Local game' }).waitFor();
    await page.getByTestId('game-canvas').waitFor();
    await page.getByRole('radio', { name: 'Bot' }).check();
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, 'local-game');
    // The canvas draws something other than the background.
    const colours = await page.getByTestId('game-canvas').evaluate((node: HTMLCanvasElement) => {
      const data = node.getContext('2d')!.getImageData(0, 0, node.width, node.height).data;
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(2);
    // Hold the paddle at the top: the bot wins 3-0 sooner or later.
    await page.keyboard.down('ArrowUp');
    await page.getByTestId('local-result').waitFor({ timeout: 45_000 });
    await page.keyboard.up('ArrowUp');
    expect(await page.getByTestId('local-result').textContent()).toMatch(/You (won|lost) \d – \d/);
    // The game loop runs at the display rate: frame intervals of the last frames.
    const frames = await page.evaluate(() => (window as any).__pongFrameTimes.slice(-240) as number[]);
    const mean = frames.reduce((sum, t) => sum + t, 0) / frames.length;
    const p95 = [...frames].sort((x, y) => x - y)[Math.floor(frames.length * 0.95)];
    console.log(`local game frames: mean ${mean.toFixed(2)} ms (${(1000 / mean).toFixed(1)} fps), p95 ${p95.toFixed(2)} ms over ${frames.length} frames`);
    // The frame-time target is measured by `npm run bench:web`; here (a shared machine, maybe a software-rendering
    // packaged Chromium) only that the loop kept drawing animation frames through the whole game.
    expect(frames.length).toBeGreaterThan(100);
    expect(mean).toBeLessThan(100);
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('fits a phone-sized screen', async () => {
    const tab = await openTab(world.browser, world.server, { viewport: { width: 375, height: 740 }, hasTouch: true });
    const { page } = tab;
    await arrive(tab);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'home-phone');
    await page.goto('/game/local');
    await page.getByTestId('game-canvas').waitFor();
    const box = await page.getByTestId('game-canvas').boundingBox();
    expect(box!.width).toBeLessThanOrEqual(375);
    await screenshot(page, 'local-phone');
    await tab.context.close();
  });
});
