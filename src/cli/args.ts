import { parseArgs } from 'node:util';
import { normalizeServer } from './api.js';

export interface CliOptions {
  server: string;
  username: string;
  password: string;
  insecure: boolean;
  /** Authenticate at once: `login`, `register` or `guest`; null waits on the login screen. */
  auto: 'login' | 'register' | 'guest' | null;
  fps: number;
  holdMs: number;
  resize: boolean;
  keyReleases: boolean;
  help: boolean;
}

export const DEFAULT_SERVER = 'https://localhost:4443';

export const USAGE = `Usage: npm run cli -- [options]   (or: pong [options], the package's bin)

A full-screen terminal client for the Pong platform.

  -s, --server <url>      server address (default ${DEFAULT_SERVER}; "host:port" means https)
  -k, --insecure          accept a self-signed TLS certificate
  -u, --user <name>       username (pre-fills the login screen)
  -p, --password <pw>     password (pre-fills the login screen; also PONG_PASSWORD)
      --login             log in at once with --user/--password
      --register          create the account --user/--password at once
      --guest             continue as a guest at once
      --fps <n>           game frames per second (default 30, 5 to 60)
      --hold-ms <ms>      how long a key press holds the paddle when the terminal
                          reports no key releases (default 150)
      --resize            ask the terminal to become 160 x 60
      --no-key-releases   do not ask the terminal for key release events
  -h, --help              this help

Keys: arrows/Tab/Enter in menus, Up/Down or W/S in a game, Space, +/-, Left/Right
and n in a replay (menu: h, match history), Ctrl+R reconnect, Ctrl+L log out,
Ctrl+Q quit.`;

/** Reads the command line; throws with a readable message on a bad option. */
export function parseCliArgs(argv: string[], env: Record<string, string | undefined> = process.env): CliOptions {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      server: { type: 'string', short: 's' },
      insecure: { type: 'boolean', short: 'k' },
      user: { type: 'string', short: 'u' },
      password: { type: 'string', short: 'p' },
      login: { type: 'boolean' },
      register: { type: 'boolean' },
      guest: { type: 'boolean' },
      fps: { type: 'string' },
      'hold-ms': { type: 'string' },
      resize: { type: 'boolean' },
      'no-key-releases': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const chosen = (['login', 'register', 'guest'] as const).filter((name) => values[name]);
  if (chosen.length > 1) throw new Error('choose one of --login, --register, --guest');
  const auto = chosen[0] ?? null;
  const username = values.user ?? '';
  const password = values.password ?? env.PONG_PASSWORD ?? '';
  if ((auto === 'login' || auto === 'register') && (!username || !password)) throw new Error(`--${auto} needs --user and --password`);
  const fps = values.fps === undefined ? 30 : Number(values.fps);
  if (!Number.isFinite(fps) || fps < 5 || fps > 60) throw new Error('--fps must be between 5 and 60');
  const holdMs = values['hold-ms'] === undefined ? 150 : Number(values['hold-ms']);
  if (!Number.isFinite(holdMs) || holdMs < 30 || holdMs > 2000) throw new Error('--hold-ms must be between 30 and 2000');
  const server = values.server ?? env.PONG_SERVER ?? DEFAULT_SERVER;
  try {
    normalizeServer(server);
  } catch (error) {
    throw new Error(`invalid server address "${server}": ${(error as Error).message}`);
  }
  return {
    server,
    username,
    password,
    insecure: values.insecure ?? false,
    auto,
    fps,
    holdMs,
    resize: values.resize ?? false,
    keyReleases: !values['no-key-releases'],
    help: values.help ?? false,
  };
}
