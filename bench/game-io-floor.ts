/**
 * The I/O floor under bench/game-rooms.ts (issue 4): what one Node event
 * loop spends only on writing game frames to WebSockets, with no room, no
 * engine and no database. A server child process holds BENCH_SOCKETS
 * WebSockets (2 per duel) and, on a 60 Hz loop, writes one pre-encoded
 * ~100-byte frame to each socket BENCH_RATE times per second (a duel's
 * socket gets ~20 frames/s: `game_state` every other tick near the paddles,
 * every fourth in the safe zone, plus the relayed paddle commands); readers
 * in 2 child processes discard them. Reported per transport (TLS as the
 * server runs it, plain TCP as behind a TLS-terminating proxy): server CPU
 * (user, system), writes/s, CPU per write, and the loop's lateness.
 */
import { fork } from 'node:child_process';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { generate } from 'selfsigned';
import WebSocket, { WebSocketServer } from 'ws';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const READER_PROCS = 2;
const FRAME = JSON.stringify({ event: 'game_state', data: { position_x: 512.3456, position_y: 301.9876, speed_x: -412.1234, speed_y: 188.5678, speed: 460 } });

function cpu(pid: number): { user: number; system: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

async function serve(tls: boolean): Promise<void> {
  let server: Server;
  if (tls) {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as never);
    server = createHttpsServer({ key: pems.private, cert: pems.cert });
  } else {
    server = createHttpServer();
  }
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => sockets.push(ws));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  process.send!({ port: (server.address() as { port: number }).port });

  let tick = 0;
  let writes = 0;
  const lateness: number[] = [];
  const period = 1000 / 60;
  let start = 0;
  const loop = () => {
    const planned = start + tick * period;
    lateness.push(performance.now() - planned);
    // Socket i gets a frame on the ticks where its share of RATE/60 crosses an integer: evenly spread.
    for (let i = 0; i < sockets.length; i++) {
      if (Math.floor(((tick + i) * RATE) / 60) !== Math.floor(((tick + i - 1) * RATE) / 60)) {
        sockets[i].send(FRAME);
        writes++;
      }
    }
    tick++;
    setTimeout(loop, Math.max(0, start + tick * period - performance.now()));
  };
  process.on('message', (msg: { cmd: string }) => {
    if (msg.cmd === 'start') { start = performance.now(); tick = 0; writes = 0; lateness.length = 0; loop(); }
    if (msg.cmd === 'report') {
      const sorted = [...lateness].sort((a, b) => a - b);
      process.send!({ writes, sockets: sockets.length, latenessP99: sorted[Math.floor(sorted.length * 0.99)], ticks: lateness.length });
    }
  });
}

function read(port: number, tls: boolean, count: number): void {
  let open = 0;
  for (let i = 0; i < count; i++) {
    const ws = new WebSocket(`${tls ? 'wss' : 'ws'}://127.0.0.1:${port}/`, { rejectUnauthorized: false, perMessageDeflate: false });
    ws.on('open', () => { if (++open === count) process.send!({ open }); });
    ws.on('message', () => {});
    ws.on('error', () => {});
  }
}

const role = process.argv[2];
if (role === 'server') {
  await serve(process.argv[3] === 'tls');
} else if (role === 'reader') {
  read(Number(process.argv[3]), process.argv[4] === 'tls', Number(process.argv[5]));
} else {
  const forkSelf = (args: string[]) => fork(new URL(import.meta.url).pathname, args, { execArgv: ['--import', 'tsx'] });
  const message = <T>(child: ReturnType<typeof fork>) => new Promise<T>((r) => child.once('message', r as never));
  for (const transport of ['tls', 'plain']) {
    const server = forkSelf(['server', transport]);
    const { port } = await message<{ port: number }>(server);
    const readers = Array.from({ length: READER_PROCS }, () => forkSelf(['reader', String(port), transport, String(SOCKETS / READER_PROCS)]));
    await Promise.all(readers.map((r) => message(r)));
    server.send({ cmd: 'start' });
    await new Promise((r) => setTimeout(r, 1000));
    const before = cpu(server.pid!);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const after = cpu(server.pid!);
    server.send({ cmd: 'report' });
    const report = await message<{ writes: number; sockets: number; latenessP99: number; ticks: number }>(server);
    const user = (after.user - before.user) / SECONDS;
    const system = (after.system - before.system) / SECONDS;
    const writesPerSecond = report.writes / (report.ticks / 60);
    console.log(JSON.stringify({
      transport, sockets: report.sockets, framesPerSocketPerSecond: RATE, writesPerSecond: Math.round(writesPerSecond),
      serverCores: { user: Number(user.toFixed(2)), system: Number(system.toFixed(2)), total: Number((user + system).toFixed(2)) },
      cpuPerWriteUs: Number((((user + system) * 1e6) / writesPerSecond).toFixed(1)),
      loopLatenessP99Ms: Number(report.latenessP99.toFixed(1)),
    }));
    for (const child of [server, ...readers]) child.kill();
  }
}
