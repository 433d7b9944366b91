/**
 * Child process of bench/peers.ts for the Colyseus side: keeps its share of
 * the duels live on the Colyseus server (one room per pair: the first bot
 * creates it, the second joins it by id; the room starts a new match itself
 * after each one) until the end of the run. The bots play like our medium
 * bot (src/game/bot/brain.ts: aim at the predicted crossing with the same
 * reaction time, aim error and dead zone, and stop on the target), each
 * seeing the state 120 ms late.
 * Counts the WebSocket frames and bytes each client receives in the
 * measured window.
 */
import { Client, type Room } from '@colyseus/sdk';
import { arrivalMs, BOT_LEVELS, steer, targetPaddleY } from '../../../src/game/bot/brain.js';
import { initialPaddleX, layoutFor, type Ball, type Direction, type Team } from '../../../src/game/engine/index.js';

interface Job {
  url: string;
  pairs: number;
  /** Epoch ms: everything stops then. */
  until: number;
  /** Epoch ms: frames and bytes are counted from then on. */
  measureFrom: number;
}

const layout = layoutFor('normal');
const skill = BOT_LEVELS.medium;
/** The own paddle's x when the bot sees the field with its paddle on the right, as our bots do. */
const ownPaddleX = initialPaddleX(layout, 'a', 0);
const rooms = new Set<Room>();
let frames = 0;
let bytes = 0;
let clientsCounted = 0;
let failures = 0;
let matches = 0;

/** Bytes of a WebSocket frame from a server (unmasked) with this payload. */
const wireBytes = (n: number) => n + (n < 126 ? 2 : n < 65536 ? 4 : 10);
/** Per client: its first and last frame in the window; their spans add up to the client-seconds measured. */
const spans: Array<{ first: number; last: number }> = [];

function countFrames(room: Room, job: Job): void {
  const events = (room.connection as unknown as { events: { onmessage?: (event: { data: ArrayBuffer }) => void } }).events;
  const original = events.onmessage;
  let span: { first: number; last: number } | null = null;
  events.onmessage = (event) => {
    const now = Date.now();
    if (now >= job.measureFrom && now < job.until) {
      if (!span) spans.push((span = { first: now, last: now }));
      span.last = now;
      frames++;
      bytes += wireBytes(event.data.byteLength);
    }
    original?.(event);
  };
}

/** The creator of a room plays team a (its first seat), the one who joins it team b. */
function play(room: Room, job: Job, team: Team): void {
  let direction: Direction = 0;
  let approaching = false;
  let aimOffset = 0;
  let arrival: ReturnType<typeof setTimeout> | undefined;
  const move = (wanted: Direction) => {
    clearTimeout(arrival);
    if (wanted === direction) return;
    direction = wanted;
    room.send('move', wanted);
  };
  rooms.add(room);
  countFrames(room, job);
  room.onStateChange((state: any) => {
    if (state.phase !== 'playing') return;
    // What the bot sees, in its own perspective (its paddle on the right), seen `reactionMs` late.
    const raw = state.ball;
    const ball: Ball = team === 'a'
      ? { x: raw.x, y: raw.y, speedX: raw.vx, speedY: raw.vy, speed: 0 }
      : { x: layout.width - raw.x - layout.ballSize, y: raw.y, speedX: 0 - raw.vx, speedY: raw.vy, speed: 0 };
    const mine = team;
    setTimeout(() => {
      if (!rooms.has(room)) return;
      const current = room.state as any;
      const y: number = mine === 'a' ? current.right : current.left;
      const nowApproaching = ball.speedX > 0;
      if (nowApproaching && !approaching) aimOffset = (Math.random() * 2 - 1) * skill.aimError;
      approaching = nowApproaching;
      const target = targetPaddleY(layout, ball, ownPaddleX, aimOffset);
      const wanted = steer(y, target, skill.deadZone);
      move(wanted);
      // Stopped on the target, as our bots do (brain.ts, arrivalMs).
      if (wanted !== 0) arrival = setTimeout(() => move(0), arrivalMs(y, target, layout.paddleSpeed));
    }, skill.reactionMs);
  });
  room.onLeave(() => rooms.delete(room));
  clientsCounted++;
}

async function runPair(job: Job): Promise<void> {
  const client = new Client(job.url);
  for (;;) {
    try {
      const a = await client.create('pong', {});
      const b = await client.joinById(a.roomId, {});
      play(a, job, 'a');
      play(b, job, 'b');
      matches++;
      return;
    } catch {
      failures++;
      if (Date.now() > job.until) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

process.on('message', async (job: Job) => {
  const spreadMs = Math.min(10_000, job.pairs * 10);
  setTimeout(report, job.until - Date.now()).unref();
  await Promise.all(Array.from({ length: job.pairs }, async (_, i) => {
    await new Promise((r) => setTimeout(r, (i * spreadMs) / job.pairs));
    await runPair(job);
  }));
});

process.send!({ ready: true });

let reported = false;
function report(): void {
  if (reported) return;
  reported = true;
  const open = [...rooms];
  for (const room of open) void room.leave(true).catch(() => {});
  const clientSeconds = spans.reduce((a, s) => a + (s.last - s.first) / 1000, 0);
  process.send!({ frames, bytes, clients: clientsCounted, failures, rooms: matches, clientSeconds }, () => process.exit(0));
}
