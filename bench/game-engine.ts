/**
 * `npm run bench:game-engine` (issue 20): what the simulation costs without
 * any socket, so that bench:game-rooms and bench:peers can be read as
 * "simulation + sockets". In this one process, on a clock of its own
 * (simulated time, as fast as the CPU goes):
 *
 * 1. the engine alone: BENCH_ROOMS (1,000) games, each ticked at its own
 *    rate (60 Hz, 15 Hz while the ball crosses the middle) for
 *    BENCH_SIM_SECONDS (30) of game time, a goal served again at once; with
 *    the pure `tick()` (a new state per tick, what rooms ran before issue 20)
 *    and with `tickInPlace()` (what rooms run now);
 * 2. the rooms without sockets: BENCH_ROOMS `Room`s (src/game/rooms/room.ts,
 *    the registry's one tick scheduler, countdowns, goals through a referee
 *    that answers at once, replays recorded), two players each on a socket
 *    that only counts bytes, each player sending a paddle command every
 *    ~0.5 s; JSON and compact encodings. A finished match is replaced.
 *
 * Reported: CPU per simulated second (= cores that many rooms need in real
 * time), per room tick, and the bytes the tick path allocates per room tick
 * (new-space growth between two scavenges).
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString, getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGame, layoutFor, seededRandom, serveNextPoint, startPoint, tick, type GameState } from '../src/game/engine/index.js';
import { newTickOutcome, tickInPlace, toLive, type LiveGameState } from '../src/game/engine/live.js';
import { encodeClientCompact, type WireEncoding } from '../src/game/compact.js';
import { encodeClientFrame, type ClientFrame } from '../src/game/protocol.js';
import type { OutFrame, RoomSocket } from '../src/game/rooms/members.js';
import { Room, type RoomMatch } from '../src/game/rooms/room.js';
import { TickScheduler } from '../src/game/rooms/tick-scheduler.js';
import type { Clock, TimerHandle } from '../src/platform/clock.js';

const ROOMS = Number(process.env.BENCH_ROOMS ?? 1000);
const SIM_SECONDS = Number(process.env.BENCH_SIM_SECONDS ?? 30);

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const newSpaceUsed = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

/** CPU (user + system) in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

// ---- 1. the engine alone --------------------------------------------------------------------------

function engineRun(inPlace: boolean) {
  const layout = layoutFor('normal');
  const randoms = Array.from({ length: ROOMS }, (_, i) => seededRandom(i + 1));
  let pure: GameState[] = randoms.map((random) => startPoint(createGame({ layout, random })));
  const live: LiveGameState[] = pure.map((s) => toLive(s));
  // Every step is a whole number of 1/60 s frames (1/60, 1/15 or 0 s): each game waits its own number of frames.
  const FRAME = 1 / 60;
  const dueFrame = new Int32Array(ROOMS);
  const outcome = newTickOutcome();
  let ticks = 0;
  const stepOf = (seconds: number) => Math.round(seconds / FRAME);
  const step = (i: number) => {
    if (inPlace) {
      const s = live[i];
      tickInPlace(s, outcome);
      if (outcome.goal) live[i] = toLive(startPoint(serveNextPoint({ ...s, phase: 'scored', winner: null, score: { a: 0, b: 0 } }, randoms[i])));
      dueFrame[i] += stepOf(live[i].nextStepSeconds);
    } else {
      const r = tick(pure[i]);
      pure[i] = r.events.some((e) => e.type === 'goal') ? startPoint(serveNextPoint({ ...r.state, phase: 'scored', winner: null, score: { a: 0, b: 0 } }, randoms[i])) : r.state;
      dueFrame[i] += stepOf(pure[i].nextStepSeconds);
    }
    ticks++;
  };
  const simulate = (fromMs: number, toMs: number) => {
    for (let frame = Math.round(fromMs / 1000 / FRAME); frame < Math.round(toMs / 1000 / FRAME); frame++) {
      for (let i = 0; i < ROOMS; i++) while (dueFrame[i] <= frame) step(i);
    }
  };
  simulate(0, 2000); // warm-up
  ticks = 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  simulate(2000, 2000 + SIM_SECONDS * 1000);
  const cpu = cpuMs() - cpu0;
  const wall = performance.now() - t0;
  // Allocation: one more simulated second between two collections.
  gc();
  const before = newSpaceUsed();
  const ticksBefore = ticks;
  simulate(2000 + SIM_SECONDS * 1000, 2000 + SIM_SECONDS * 1000 + 200);
  const grown = newSpaceUsed() - before;
  const allocTicks = ticks - ticksBefore;
  return {
    engine: inPlace ? 'tickInPlace (rooms now)' : 'tick, a new state per tick (rooms before)',
    note: 'CPU per tick includes this harness (a loop over every game each 1/60 s)',
    rooms: ROOMS,
    ticksPerRoomPerSecond: Number((ticks / ROOMS / SIM_SECONDS).toFixed(1)),
    cpuMsPerSimulatedSecond: Number((cpu / SIM_SECONDS).toFixed(2)),
    coresFor1000Rooms: Number(((cpu / SIM_SECONDS / 1000) * (1000 / ROOMS)).toFixed(4)),
    cpuNsPerTick: Math.round((cpu * 1e6) / ticks),
    wallNsPerTick: Math.round((wall * 1e6) / ticks),
    bytesAllocatedPerTick: grown >= 0 ? Math.round(grown / allocTicks) : 'a scavenge ran: n/a',
  };
}

// ---- 2. rooms without sockets ---------------------------------------------------------------------

/** A manual clock with a heap of timers (ManualClock scans all of them per timer: too slow for 1,000 rooms). */
class BenchClock implements Clock {
  current = 0;
  private seq = 0;
  private heap: Array<{ at: number; seq: number; fn: () => void; cancelled: boolean }> = [];
  now(): number {
    return this.current;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = { at: this.current + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(t);
    return { cancel: () => { t.cancelled = true; } };
  }
  setInterval(): TimerHandle {
    throw new Error('not used by rooms');
  }
  /** Runs every timer due by `to`, in order. */
  advanceTo(to: number): void {
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > to) break;
      this.pop();
      if (top.cancelled) continue;
      this.current = top.at;
      top.fn();
    }
    this.current = to;
  }
  private less(a: { at: number; seq: number }, b: { at: number; seq: number }) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  private push(t: (typeof this.heap)[number]) {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  private pop() {
    const h = this.heap;
    const last = h.pop()!;
    if (!h.length) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

async function roomsRun(encoding: WireEncoding) {
  const clock = new BenchClock();
  const ticks = new TickScheduler(clock);
  let roomTicks = 0;
  let bytes = 0;
  let frames = 0;
  let nextMatch = 1;
  const random = seededRandom(7);
  const socket: RoomSocket = {
    send(out: readonly OutFrame[], count: number) {
      for (let i = 0; i < count; i++) bytes += out[i].bytes ? out[i].length : out[i].text!.length;
      frames++;
    },
    close() {},
  };
  const commands: ClientFrame[] = [{ event: 'move_up', data: null }, { event: 'move_down', data: null }, { event: 'stop_moving', data: { position: 200 } }];
  const encoded = commands.map((c) => (encoding === 'compact' ? encodeClientCompact(c) : encodeClientFrame(c.event, c.data as never)));
  const slots: Array<{ room: Room; players: ReturnType<Room['joinPlayer']>[] }> = [];
  const open = (slot: number) => {
    const id = nextMatch++;
    const match: RoomMatch = { id, code: String(id), matchType: '1v1', players: [{ userId: 2 * id, team: 'a', position: 0 }, { userId: 2 * id + 1, team: 'b', position: 0 }] };
    const score = { a: 0, b: 0 };
    const room: Room = new Room(match, {
      clock, random, ticks,
      observeTick: () => { roomTicks++; },
      replays: { save: async () => {} },
      onDisposed: () => open(slot),
      referee: {
        async scoreGoal(userId, ownGoal) {
          const team = userId === 2 * id ? 'a' : 'b';
          const credited = ownGoal ? (team === 'a' ? 'b' : 'a') : team;
          score[credited] += 1;
          if (score[credited] === 3) room.matchFinished({ score: { ...score }, finishReason: 'normal-end', winner: credited });
          else room.goalRecorded({ score: { ...score } });
        },
        async forfeit() {},
      },
    });
    slots[slot] = { room, players: [room.joinPlayer(2 * id, socket, encoding), room.joinPlayer(2 * id + 1, socket, encoding)] };
  };
  for (let i = 0; i < ROOMS; i++) open(i);
  // Each player sends a command every ~0.5 s (what the medium bots send, roughly).
  const command = () => {
    const slot = slots[Math.floor(random() * ROOMS)];
    const player = slot.players[Math.floor(random() * 2)];
    const frame = encoded[Math.floor(random() * 3)];
    if (typeof frame === 'string') slot.room.receive(player, frame);
    else slot.room.receiveBinary(player, frame);
  };
  const commandsPerMs = (ROOMS * 2 * 2) / 1000;
  let owed = 0;
  const simulate = async (toMs: number) => {
    while (clock.current < toMs) {
      clock.advanceTo(clock.current + 1);
      for (owed += commandsPerMs; owed >= 1; owed--) command();
      await Promise.resolve(); // the referee's answers
    }
  };
  await simulate(4000); // warm-up, past the first countdowns
  roomTicks = 0;
  bytes = 0;
  frames = 0;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  await simulate(4000 + SIM_SECONDS * 1000);
  const cpu = cpuMs() - cpu0;
  const wall = performance.now() - t0;
  const counted = { ticks: roomTicks, bytes, frames };
  return {
    rooms: ROOMS,
    encoding,
    ticksPerRoomPerSecond: Number((counted.ticks / ROOMS / SIM_SECONDS).toFixed(1)),
    cpuMsPerSimulatedSecond: Number((cpu / SIM_SECONDS).toFixed(1)),
    millicoresPerMatch: Number((cpu / SIM_SECONDS / ROOMS).toFixed(3)),
    cpuUsPerRoomTick: Number(((cpu * 1000) / counted.ticks).toFixed(2)),
    wallUsPerRoomTick: Number(((wall * 1000) / counted.ticks).toFixed(2)),
    writesPerClientPerSecond: Number((counted.frames / (2 * ROOMS) / SIM_SECONDS).toFixed(1)),
    payloadBytesPerClientPerSecond: Math.round(counted.bytes / (2 * ROOMS) / SIM_SECONDS),
  };
}

/** The bytes allocated per room tick by the tick path alone (no commands, no goals in the window if possible). */
async function roomsAllocation(encoding: WireEncoding) {
  const clock = new BenchClock();
  const ticks = new TickScheduler(clock);
  let roomTicks = 0;
  const socket: RoomSocket = { send() {}, close() {} };
  let goals = 0;
  for (let id = 1; id <= ROOMS; id++) {
    const room: Room = new Room({ id, code: String(id), matchType: '1v1', players: [{ userId: 2 * id, team: 'a', position: 0 }, { userId: 2 * id + 1, team: 'b', position: 0 }] }, {
      clock, random: seededRandom(id), ticks, observeTick: () => { roomTicks++; }, onDisposed: () => {},
      // Goals never end the match: the score stays 0-0 (a goal and its serve are not the steady state measured).
      referee: { scoreGoal: async () => { goals++; room.goalRecorded({ score: { a: 0, b: 0 } }); }, forfeit: async () => {} },
    });
    room.joinPlayer(2 * id, socket, encoding);
    room.joinPlayer(2 * id + 1, socket, encoding);
  }
  // Warm-up (the code optimised), then windows of 50 ms between two collections; the window with the fewest goals counts.
  for (let t = 0; t < 20_000; t += 5) {
    clock.advanceTo(t);
    await Promise.resolve();
  }
  let best = { bytes: Infinity, ticks: 0, goals: Infinity };
  for (let w = 0; w < 20; w++) {
    gc();
    const before = newSpaceUsed();
    const ticks0 = roomTicks;
    const goals0 = goals;
    clock.advanceTo(clock.current + 50);
    const grown = newSpaceUsed() - before;
    await Promise.resolve();
    if (grown >= 0 && goals - goals0 <= best.goals) best = { bytes: grown, ticks: roomTicks - ticks0, goals: goals - goals0 };
    for (let t = 0; t < 200; t += 5) {
      clock.advanceTo(clock.current + 5);
      await Promise.resolve();
    }
  }
  return { encoding, bytesAllocatedPerRoomTick: Math.round(best.bytes / best.ticks), roomTicksInWindow: best.ticks, goalsInWindow: best.goals };
}

const report = {
  engineAlone: [engineRun(false), engineRun(true)],
  roomsWithoutSockets: [await roomsRun('json'), await roomsRun('compact')],
  tickPathAllocation: [await roomsAllocation('json'), await roomsAllocation('compact')],
};
console.log(JSON.stringify(report, null, 2));
