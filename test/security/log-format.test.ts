import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logFormatFrom } from '../../src/config.js';
import { eventually } from '../support/cluster.js';
import { ApiClient, registerUser } from '../support/http.js';
import { startServerProcess, type ServerProcess } from '../support/process.js';
import { startTestServer } from '../support/server.js';

const isJson = (line: string) => {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
};
const linesOf = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

describe('LOG_FORMAT', () => {
  it('is pretty by default only on a terminal outside production; LOG_FORMAT overrides', () => {
    expect(logFormatFrom({}, true)).toBe('pretty');
    expect(logFormatFrom({ NODE_ENV: 'development' }, true)).toBe('pretty');
    expect(logFormatFrom({ NODE_ENV: 'production' }, true)).toBe('json');
    expect(logFormatFrom({}, false)).toBe('json');
    expect(logFormatFrom({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFrom({ LOG_FORMAT: 'Pretty', NODE_ENV: 'production' }, false)).toBe('pretty');
    expect(() => logFormatFrom({ LOG_FORMAT: 'yaml' }, true)).toThrow(/LOG_FORMAT/);
  });

  for (const format of ['json', 'pretty'] as const) {
    it(`${format}: every line is ${format === 'json' ? '' : 'not '}JSON, and secrets are redacted`, async () => {
      const lines: string[] = [];
      const server = await startTestServer({ env: { LOG_LEVEL: 'info', LOG_FORMAT: format }, logStream: { write: (line) => { lines.push(line); } } });
      try {
        const api = new ApiClient(server.publicUrl);
        const user = await registerUser(api);
        lines.length = 0;
        await api.get(`/api/health?token=${user.access}&x=1`);
        await api.post('/api/auth/login/', { username: user.username, password: 'Not-The-Passw0rd!' });
        server.publicApp.log.info({ password: 'Very-Secret-Passw0rd!', body: { refresh: user.refresh } }, 'context');
        await eventually(() => lines.join('').includes('context'), 2000, 'the log lines');

        const all = linesOf(lines.join(''));
        expect(all.length).toBeGreaterThan(3);
        expect(all.filter((line) => isJson(line) !== (format === 'json'))).toEqual([]);
        const text = all.join('\n');
        for (const secret of [user.access, user.refresh, 'Very-Secret-Passw0rd!', 'Not-The-Passw0rd!']) expect(text).not.toContain(secret);
        expect(text).toContain('/api/health?token=[REDACTED]&x=1');
        if (format === 'pretty') {
          expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[req-\w+\] incoming request GET \/api\/health\?token=\[REDACTED\]&x=1$/m);
          expect(text).toMatch(/password: "\[REDACTED\]"/);
        }
      } finally {
        await server.close();
      }
    });
  }
});

/** A process compiles the server (tsx) and makes its certificate first: slow on a busy machine. */
const PROCESS_TIMEOUT_MS = 120_000;

describe('the logs of a real server process (`src/main.ts`, standard output a pipe)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pong-log-format-'));
  let server: ServerProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function run(env: Record<string, string>): Promise<string[]> {
    server = await startServerProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env });
    const api = new ApiClient(server.publicUrl);
    await api.get('/api/health?token=header.payload.signature-secret');
    await eventually(() => server!.stdout().includes('signature') || server!.stdout().includes('REDACTED'), 5000, 'the request lines');
    server.kill('SIGTERM');
    await server.exited;
    const out = server.stdout();
    expect(out).not.toContain('signature-secret');
    return linesOf(out);
  }

  it('writes JSON lines when standard output is not a terminal', async () => {
    const lines = await run({});
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter((line) => !isJson(line))).toEqual([]);
    expect(lines.map((line) => JSON.parse(line).req?.url)).toContain('/api/health?token=[REDACTED]');
  }, PROCESS_TIMEOUT_MS);

  it('writes readable lines through the pino-pretty transport with LOG_FORMAT=pretty', async () => {
    const lines = await run({ LOG_FORMAT: 'pretty' });
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter(isJson)).toEqual([]);
    expect(lines.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: serving https:\/\/127\.0\.0\.1:\d+/.test(line))).toBe(true);
    expect(lines.some((line) => line.endsWith('incoming request GET /api/health?token=[REDACTED]'))).toBe(true);
  }, PROCESS_TIMEOUT_MS);
});
