#!/usr/bin/env node
/**
 * The Pong terminal client (src/cli/README.md): `npm run cli -- --server
 * https://host:4443 [--insecure]`. See `--help` for the options.
 */
import { App } from './app.js';
import { parseCliArgs, USAGE, type CliOptions } from './args.js';
import { Controller } from './controller.js';
import { Terminal } from './terminal.js';

function fail(message: string): never {
  process.stderr.write(`pong: ${message}\n`);
  process.exit(2);
}

let options: CliOptions;
try {
  options = parseCliArgs(process.argv.slice(2));
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!process.stdin.isTTY || !process.stdout.isTTY) fail('this program needs an interactive terminal');

let controller: Controller;
try {
  controller = new Controller({ server: options.server, insecure: options.insecure });
} catch (error) {
  fail(`invalid server address ${options.server}: ${(error as Error).message}`);
}

const terminal = new Terminal({ resize: options.resize, keyReleases: options.keyReleases });
const app = new App(controller, terminal, {
  fps: options.fps,
  holdMs: options.holdMs,
  username: options.username,
  password: options.password,
  onExit: () => process.exit(0),
});

// Whatever happens, give the terminal back in a usable state.
const restore = () => terminal.stop();
process.on('exit', restore);
process.on('SIGTERM', () => app.quit());
process.on('SIGHUP', () => { restore(); process.exit(129); });
process.on('uncaughtException', (error) => {
  restore();
  process.stderr.write(`pong crashed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});

app.start();
if (options.auto === 'guest') void controller.guest();
else if (options.auto === 'login') void controller.login(options.username, options.password);
else if (options.auto === 'register') void controller.register(options.username, options.password);
