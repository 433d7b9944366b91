/**
 * Child process of bench/game-rooms.ts: plays bot-vs-bot duels against one
 * server for a fixed time. For each pair it creates a match through the
 * internal API, connects both players (the bot code of src/game/bot,
 * instrumented) and, when the match ends, creates the next one, so the
 * number of live rooms stays constant. It measures how long a paddle
 * command takes to reach the opponent's socket (`move_up` / `move_down`
 * are relayed to the other players, not echoed to the sender), and counts
 * the WebSocket frames and bytes (payload and frame header) its sockets
 * receive in the measured window. `encoding`: the game socket's encoding
 * (the shared client's default, compact, unless the job says `json`).
 */
import WebSocket from 'ws';
import { Agent, request } from 'undici';
import { openGameSocket } from '../src/client/game-socket.js';
import type { WireEncoding } from '../src/game/compact.js';
import { BOT_LEVELS } from '../src/game/bot/index.js';
import { BotPlayer } from '../src/game/bot/player.js';
import { systemClock } from '../src/platform/clock.js';

interface Job {
  url: string;
  internalUrl: string;
  pairs: Array<{ a: { id: number; token: string }; b: { id: number; token: string } }>;
  /** Epoch ms: no new match after this. */
  until: number;
  /** Epoch ms: latencies are recorded from then on. */
  measureFrom: number;
  encoding?: WireEncoding;
}

const agent = new Agent({ connections: 8 });
const open = new Set<WebSocket>();
const latencies: number[] = [];
let matchesPlayed = 0;
let failures = 0;
/** Frames and bytes received by all sockets in the measured window. */
let frames = 0;
let bytes = 0;
/** Bytes of a WebSocket frame from a server (unmasked) with this payload. */
const wireBytes = (n: number) => n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
/** Per connection: its first and last frame in the window; their spans add up to the client-seconds measured. */
const spans: Array<{ first: number; last: number }> = [];
const clientSeconds = () => spans.reduce((a, s) => a + (s.last - s.first) / 1000, 0);
/** Relayed commands not yet seen by the opponent, per sender: send times in order. */
const inFlight = new Map<number, number[]>();

async function createMatch(job: Job, pair: Job['pairs'][number]): Promise<void> {
  const res = await request(`${job.internalUrl}/api/private/match/create/`, {
    method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ game_mode: 'duel', teams: { a: [{ id: pair.a.id }], b: [{ id: pair.b.id }] } }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${text}`);
}

/** One bot's connection for one match; resolves when its socket closes. */
function play(job: Job, user: { id: number; token: string }): Promise<void> {
  return new Promise((resolve) => {
    const sent = inFlight.get(user.id) ?? [];
    inFlight.set(user.id, sent);
    sent.length = 0;
    const bot = new BotPlayer(user.id, BOT_LEVELS.medium, systemClock, Math.random, (event, data) => {
      const at = performance.now();
      if (socket.send(event, data) && (event === 'move_up' || event === 'move_down')) sent.push(at);
    });
    let raw: WebSocket | null = null;
    const socket = openGameSocket(
      {
        baseUrl: job.url,
        token: user.token,
        encoding: job.encoding,
        webSocket: (url) => {
          const ws = new WebSocket(url, { rejectUnauthorized: false, perMessageDeflate: false });
          raw = ws;
          open.add(ws);
          let span: { first: number; last: number } | null = null;
          ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
            const now = Date.now();
            if (now < job.measureFrom || now >= job.until) return;
            if (!span) spans.push((span = { first: now, last: now }));
            span.last = now;
            frames++;
            const n = Array.isArray(data) ? data.reduce((a, b) => a + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : isBinary ? data.length : data.length;
            bytes += wireBytes(n);
          });
          return ws;
        },
        // The end of the run cuts a connection stuck in its handshake.
        connectTimeoutMs: null,
      },
      {
        onOpen: () => {},
        onFrame(frame) {
          if ((frame.event === 'move_up' || frame.event === 'move_down') && frame.data.player !== user.id) {
            const at = inFlight.get(frame.data.player)?.shift();
            if (at !== undefined && Date.now() >= job.measureFrom) latencies.push(performance.now() - at);
          }
          bot.handle(frame);
        },
        onClose() {
          if (raw) open.delete(raw);
          resolve();
        },
      },
    );
  });
}

async function runPair(job: Job, pair: Job['pairs'][number]): Promise<void> {
  while (Date.now() < job.until) {
    try {
      await createMatch(job, pair);
      await Promise.all([play(job, pair.a), play(job, pair.b)]);
      matchesPlayed++;
    } catch (error) {
      if (failures++ === 0) console.error(`game-bots-worker: ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

process.on('message', async (job: Job) => {
  // Spread the connections over the first seconds rather than opening them all at once.
  const spreadMs = Math.min(10_000, job.pairs.length * 10);
  // The end: every socket closes (the rooms forfeit 10 s later, after the benchmark has read its figures).
  setTimeout(() => { for (const ws of open) ws.terminate(); }, job.until - Date.now()).unref();
  // A connection stuck in its handshake must not hold the report back.
  setTimeout(report, job.until - Date.now() + 5000).unref();
  await Promise.all(job.pairs.map(async (pair, i) => {
    await new Promise((r) => setTimeout(r, (i * spreadMs) / job.pairs.length));
    await runPair(job, pair);
  }));
  report();
});

// Loaded (tsx compiles on the way): the parent starts the clock of the run from here.
process.send!({ ready: true });

let reported = false;
function report(): void {
  if (reported) return;
  reported = true;
  process.send!({ latencies, matchesPlayed, failures, frames, bytes, clientSeconds: clientSeconds() }, () => process.exit(0));
}
