import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestUser } from '../support/http.js';
import type { TestServer } from '../support/server.js';

/**
 * The real terminal program driven in tmux: `send-keys` types, `capture-pane`
 * reads the screen. Each test file has its own tmux server (socket), killed
 * and removed by `close()`.
 */
export const hasTmux = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

/** The repository's root: where the client's command runs. */
export const CLI_ROOT = new URL('../../', import.meta.url).pathname;

export class Tmux {
  private readonly socket: string;

  constructor(name: string) {
    this.socket = `pong-cli-${name}-${process.pid}`;
  }

  run(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  screen(session: string): string {
    return this.run('capture-pane', '-p', '-t', session);
  }

  /** Key names (`Enter`, `Left`, `C-c`) or single characters. */
  keys(session: string, ...names: string[]): string {
    return this.run('send-keys', '-t', session, ...names);
  }

  /** Literal text (a name with spaces, a code), no key names. */
  type(session: string, text: string): string {
    return this.run('send-keys', '-t', session, '-l', text);
  }

  /** Polls the screen until it matches every pattern; answers it. */
  async waitFor(session: string, patterns: RegExp[], what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = this.screen(session);
      if (patterns.every((p) => p.test(last))) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${session}); the screen shows:\n${last}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Runs `command` in a detached window of `cols` × `rows`; the window stays after it exits, showing `EXITED <status>`. */
  launch(session: string, command: string, cols = 80, rows = 24): void {
    this.run('new-session', '-d', '-s', session, '-x', String(cols), '-y', String(rows), '-c', CLI_ROOT, `${command}; echo "EXITED $?"; sleep 600`);
  }

  /** The client logged in as a registered user (its password through the environment). */
  launchClient(session: string, server: TestServer, user: TestUser, cols = 80, rows = 24, extraArgs = ''): void {
    this.launch(session, `PONG_PASSWORD='${user.password}' node --import tsx src/cli/main.ts -s ${server.publicUrl} -k -u ${user.username} --login${extraArgs ? ` ${extraArgs}` : ''}`, cols, rows);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    rmSync(join(process.env.TMUX_TMPDIR ?? tmpdir(), `tmux-${process.getuid?.() ?? 0}`, this.socket), { force: true });
  }
}

/** The bottom line of a screen: the key hints, with a status or not. */
export const bottomBar = (screen: string) => screen.trimEnd().split('\n').at(-1)!;

/**
 * Lets the server's clock follow real time (× `speed()`, at most `maxStepMs`
 * of real time a step, which synchronous tmux calls may hold up), so that the
 * terminals' games, the live stream's pings and the tournaments' delays run
 * as in production. Answers the stop function.
 */
export function followRealTime(server: TestServer, maxStepMs = 50, speed: () => number = () => 1): () => void {
  let last = Date.now();
  const ticking = setInterval(() => {
    const now = Date.now();
    server.clock.advance(Math.min(maxStepMs, Math.max(1, now - last)) * speed());
    last = now;
  }, 20);
  return () => clearInterval(ticking);
}
