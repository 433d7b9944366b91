import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { request } from 'undici';
import { insecureAgent } from './http.js';
import { JWT_SECRET, eventually } from './cluster.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  publicUrl: string;
  internalUrl: string;
  /** Everything the process wrote to stdout (its pino log) so far. */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * A real server process (`src/main.ts` through tsx, as `npm start` runs it),
 * with only the environment given here (plus test defaults): what SIGKILL is
 * sent to, and whose log output can be read.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  // A free port can be taken by another test's server between `freePort` and the child's listen
  // (EADDRINUSE): such a start-up is tried again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePorts(env);
    } catch (error) {
      if (attempt === 3 || !(error instanceof StartupExit) || !error.output.includes('EADDRINUSE')) throw error;
    }
  }
}

class StartupExit extends Error {
  constructor(readonly output: string) {
    super(`server process exited during start-up: ${output.slice(-2000)}`);
  }
}

async function startOnFreePorts(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const internalPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      INTERNAL_PORT: String(internalPort),
      JWT_SECRET,
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_MINUTE: '100000',
      LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
      // The abuse limits are exercised by test/security/abuse-*.test.ts; everywhere else one loopback address plays every user.
      MAX_CONNECTIONS_PER_ADDRESS: '100000',
      CODE_GUESSES_PER_MINUTE: '100000',
      CHAT_MESSAGES_PER_10_SECONDS: '100000',
      LOGIN_FAILURES_PER_ACCOUNT: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  // Passed on as it comes (as inherited), and kept to tell a port taken meanwhile from a real failure.
  child.stderr!.on('data', (chunk: Buffer) => { errors = (errors + chunk.toString()).slice(-20_000); process.stderr.write(chunk); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => { gone = true; });
  const publicUrl = `https://127.0.0.1:${port}`;
  await eventually(async () => {
    if (gone) throw new StartupExit(`${out}\n${errors}`);
    try {
      const res = await request(`${publicUrl}/api/health/live`, { dispatcher: insecureAgent });
      await res.body.text();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  }, 40_000, 'the server process to listen');
  return {
    child, publicUrl, internalUrl: `http://127.0.0.1:${internalPort}`, exited,
    stdout: () => out,
    kill: (signal) => { if (!gone) child.kill(signal); },
  };
}
