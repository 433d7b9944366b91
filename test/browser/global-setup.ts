import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolveChromium } from '../support/chromium.js';

/**
 * The browser tests need the built client (built once, only when web/
 * changed) and a Chromium: resolved here once, so that a packaged one is
 * unpacked before the test files start, and the run says which browser it used.
 */
export default async function setup(): Promise<void> {
  const script = fileURLToPath(new URL('../../scripts/build-web.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web client failed');
  const browser = await resolveChromium();
  console.log(`browser tests: ${browser.description}`);
}
