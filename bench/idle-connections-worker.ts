/**
 * Child process of bench/idle-connections.ts: an attacker that opens idle
 * TCP connections to the server from its loopback addresses and never sends
 * a byte (no TLS handshake). It keeps `count` of them open while the hold
 * lasts: with `reconnectPerSecond` > 0 every connection the server closes
 * is opened again (at most that many new connections per second). It
 * reports what happened to its connections every 500 ms.
 */
import { connect, type Socket } from 'node:net';

export interface AttackJob {
  host: string;
  port: number;
  addresses: string[];
  count: number;
  /** Connections being set up at once. */
  concurrency: number;
  /** 0: open `count` once; otherwise re-open closed ones at this rate. */
  reconnectPerSecond: number;
  /** Epoch ms: everything is closed and the child exits. */
  holdUntil: number;
}

export interface AttackStats {
  attempted: number;
  /** Open now (accepted by the kernel, not closed yet). */
  open: number;
  peakOpen: number;
  /** Closed by the server within 1 s of being accepted: refused by a limit. */
  refused: number;
  /** Closed by the server later: a deadline. */
  closedLater: number;
  /** The connection could not even be made (EMFILE on our side, ECONNREFUSED, ...). */
  errors: number;
  done: boolean;
}

const stats: AttackStats = { attempted: 0, open: 0, peakOpen: 0, refused: 0, closedLater: 0, errors: 0, done: false };
const sockets = new Set<Socket>();
let pending = 0;
let stopping = false;

process.once('message', (job: AttackJob) => {
  let next = 0;
  let opened = 0;
  let tokens = job.reconnectPerSecond;
  const refill = job.reconnectPerSecond > 0 ? setInterval(() => { tokens = job.reconnectPerSecond / 10; pump(); }, 100) : null;

  const openOne = () => {
    stats.attempted += 1;
    pending += 1;
    const socket = connect({ host: job.host, port: job.port, localAddress: job.addresses[next++ % job.addresses.length] });
    let acceptedAt = 0;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('connect', () => {
      pending -= 1;
      acceptedAt = Date.now();
      stats.open += 1;
      stats.peakOpen = Math.max(stats.peakOpen, stats.open);
      socket.resume();
      pump();
    });
    socket.once('close', () => {
      sockets.delete(socket);
      if (acceptedAt === 0) {
        pending -= 1;
        stats.errors += 1;
      } else {
        stats.open -= 1;
        if (!stopping) {
          if (Date.now() - acceptedAt < 1000) stats.refused += 1;
          else stats.closedLater += 1;
        }
      }
      pump();
    });
  };

  function pump() {
    if (stopping) return;
    while (pending < job.concurrency) {
      if (opened < job.count) {
        opened += 1;
        openOne();
      } else if (job.reconnectPerSecond > 0 && stats.open + pending < job.count && tokens >= 1) {
        tokens -= 1;
        openOne();
      } else {
        break;
      }
    }
  }

  const report = setInterval(() => process.send!({ ...stats }), 500);
  pump();
  setTimeout(() => {
    stopping = true;
    if (refill) clearInterval(refill);
    for (const socket of sockets) socket.destroy();
    clearInterval(report);
    stats.done = true;
    process.send!({ ...stats }, () => process.exit(0));
  }, Math.max(0, job.holdUntil - Date.now()));
});
