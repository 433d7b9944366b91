import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The supervisor `npm start` runs the server under (scripts/supervise.mjs),
 * driven in its own process on tiny fake servers: it restarts one that
 * dies, gives up after the configured number of quick crashes, forwards
 * SIGTERM and does not restart what it was asked to stop.
 */
const dir = mkdtempSync(join(tmpdir(), 'pong-supervisor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const supervisorUrl = pathToFileURL(resolve('scripts/supervise.mjs')).href;

/** A fake server: each life appends a line to `runs`, then does what `body` says (it knows its life number `n`). */
function fakeEntry(name: string, body: string): { entry: string; runs: () => number } {
  const runsFile = join(dir, `${name}.runs`);
  const entry = join(dir, `${name}.mjs`);
  writeFileSync(entry, `
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
const runs = ${JSON.stringify(runsFile)};
const n = existsSync(runs) ? readFileSync(runs, 'utf8').split('\\n').filter(Boolean).length + 1 : 1;
appendFileSync(runs, 'run ' + n + '\\n');
${body}
`);
  return { entry, runs: () => (existsSync(runsFile) ? readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).length : 0) };
}

interface Supervised {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  kill(signal: NodeJS.Signals): void;
}

function runSupervisor(entry: string, options: Record<string, unknown>): Supervised {
  const driver = `
import { supervise } from ${JSON.stringify(supervisorUrl)};
process.exitCode = await supervise({ entry: process.env.FAKE_ENTRY, backoffMs: 20, maxBackoffMs: 100, ...${JSON.stringify(options)} });
`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', driver], { env: { ...process.env, FAKE_ENTRY: entry }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  return {
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    stderr: () => stderr,
    kill: (signal) => child.kill(signal),
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the npm start supervisor', () => {
  it('restarts a server that crashes, then gives up after the configured number of quick crashes', async () => {
    const fake = fakeEntry('crashing', 'process.exit(3);');
    const supervisor = runSupervisor(fake.entry, { maxQuickCrashes: 3 });
    expect(await supervisor.exited).toEqual({ code: 3, signal: null });
    expect(fake.runs()).toBe(3);
    expect(supervisor.stderr()).toMatch(/exited with code 3 .*restarting in 20 ms/);
    expect(supervisor.stderr()).toMatch(/restarting in 40 ms/);
    expect(supervisor.stderr()).toMatch(/3 quick crash\(es\) in a row: giving up/);
  });

  it('restarts a server killed by a signal it did not ask for (the OOM killer), and stops restarting after a clean exit', async () => {
    const fake = fakeEntry('killed', `if (n === 1) process.kill(process.pid, 'SIGKILL'); else if (n === 2) throw new Error('boom'); else process.exit(0);`);
    const supervisor = runSupervisor(fake.entry, { maxQuickCrashes: 5 });
    expect(await supervisor.exited).toEqual({ code: 0, signal: null });
    expect(fake.runs()).toBe(3);
    expect(supervisor.stderr()).toMatch(/was killed by SIGKILL/);
  });

  it('forwards SIGTERM to the server and exits with it, without restarting', async () => {
    const marker = join(dir, 'term.marker');
    const fake = fakeEntry('serving', `
setInterval(() => {}, 1000);
process.on('SIGTERM', async () => {
  (await import('node:fs')).writeFileSync(${JSON.stringify(marker)}, 'drained');
  setTimeout(() => process.exit(0), 50);
});`);
    const supervisor = runSupervisor(fake.entry, { maxQuickCrashes: 5 });
    await until(() => fake.runs() === 1);
    // Let the child install its handler.
    await new Promise((r) => setTimeout(r, 200));
    supervisor.kill('SIGTERM');
    expect(await supervisor.exited).toEqual({ code: 0, signal: null });
    expect(readFileSync(marker, 'utf8')).toBe('drained');
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.runs()).toBe(1);
  });

  it('a server that does not handle the signal: the supervisor exits with 128 + its number, no restart', async () => {
    const fake = fakeEntry('plain', 'setInterval(() => {}, 1000);');
    const supervisor = runSupervisor(fake.entry, { maxQuickCrashes: 5 });
    await until(() => fake.runs() === 1);
    await new Promise((r) => setTimeout(r, 100));
    supervisor.kill('SIGINT');
    expect(await supervisor.exited).toEqual({ code: 130, signal: null });
    expect(fake.runs()).toBe(1);
  });
});
