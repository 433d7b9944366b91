// The supervisor of `npm start`: runs the server in a child process and starts it again when it dies unexpectedly.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Runs `node <nodeArgs> <entry>` and restarts it when it dies unexpectedly
 * (a non-zero exit code, or a signal nobody asked for: the kernel's OOM
 * killer, V8 aborting on `JavaScript heap out of memory`), after a short
 * back-off that doubles with each quick crash in a row (`backoffMs`,
 * 2 x, 4 x, ... at most `maxBackoffMs`). A crash after `quickMs` or more
 * of running ends the series. After `maxQuickCrashes` quick crashes in a row
 * it gives up and exits with the child's status (0: never restart).
 *
 * SIGINT and SIGTERM are forwarded to the child, which drains and exits; the
 * supervisor then exits with the child's status and does not restart it. A
 * clean exit (0) is not restarted either.
 *
 * Resolves with the status the supervisor should exit with.
 */
export function supervise({
  entry,
  nodeArgs = [],
  env = process.env,
  cwd = process.cwd(),
  maxQuickCrashes = 5,
  quickMs = 60_000,
  backoffMs = 500,
  maxBackoffMs = 30_000,
  log = (message) => console.error(`[supervisor] ${message}`),
}) {
  return new Promise((resolve) => {
    let child = null;
    let restartTimer = null;
    let stopSignal = null;
    let quickCrashes = 0;

    const statusOf = (code, signal) => code ?? 128 + (constants.signals[signal] ?? 1);
    const finish = (status) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(status);
    };
    function onSignal(signal) {
      if (restartTimer) {
        // Between two lives: nothing to stop.
        clearTimeout(restartTimer);
        restartTimer = null;
        log(`${signal} while waiting to restart: exiting`);
        finish(statusOf(null, signal));
        return;
      }
      stopSignal = signal;
      child?.kill(signal);
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const start = () => {
      restartTimer = null;
      const startedAt = Date.now();
      child = spawn(process.execPath, [...nodeArgs, entry], { stdio: 'inherit', env, cwd });
      child.once('error', (error) => log(`cannot start ${entry}: ${error.message}`));
      child.once('exit', (code, signal) => {
        child = null;
        const status = statusOf(code, signal);
        if (stopSignal) return finish(status);
        if (code === 0) return finish(0);
        const ranMs = Date.now() - startedAt;
        quickCrashes = ranMs < quickMs ? quickCrashes + 1 : 0;
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        if (maxQuickCrashes <= 0 || quickCrashes >= maxQuickCrashes) {
          log(`the server ${how} after ${ranMs} ms; ${quickCrashes} quick crash(es) in a row: giving up`);
          return finish(status);
        }
        const delay = Math.min(maxBackoffMs, backoffMs * 2 ** Math.max(0, quickCrashes - 1));
        log(`the server ${how} after ${ranMs} ms; restarting in ${delay} ms`);
        restartTimer = setTimeout(start, delay);
      });
    };
    start();
  });
}
