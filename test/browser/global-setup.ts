import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The browser tests need the built client: build it once (only when web/ changed). */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build-web.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web client failed');
}
