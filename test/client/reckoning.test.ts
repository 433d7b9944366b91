import { describe, expect, it } from 'vitest';
import { layoutFor, initialPaddleX } from '../../src/game/engine/index.js';
import type { ServerFrame } from '../../src/game/protocol.js';
import { BallReckoner, columnZone, FILL_IN_MS, paddleColumnLines } from '../../src/game/reckoning.js';
import { ManualClock } from '../../src/platform/clock.js';

/** The ball filled in between the compact stream's states (docs/game-protocol.md, The compact encoding). */
function reckoner() {
  const clock = new ManualClock(1_000_000);
  const out: ServerFrame[] = [];
  const r = new BallReckoner(clock, (f) => out.push(f));
  const balls = () => out.filter((f): f is Extract<ServerFrame, { event: 'game_state' }> => f.event === 'game_state').map((f) => f.data);
  return { clock, out, r, balls };
}

const ball = (x: number, y: number, vx: number, vy: number) => ({ event: 'game_state' as const, data: { position_x: x, position_y: y, speed_x: vx, speed_y: vy, speed: Math.hypot(vx, vy) } });

describe('paddle columns', () => {
  it('lines at both edges of every paddle column, symmetric; the zone changes as the ball enters or leaves one', () => {
    for (const name of ['normal', 'clash'] as const) {
      const layout = layoutFor(name);
      const lines = paddleColumnLines(layout);
      expect(lines).toHaveLength(4 * layout.paddlesPerTeam);
      const mirrored = lines.map((x) => layout.width - layout.ballSize - x).sort((p, q) => p - q);
      expect(mirrored).toEqual(lines);
    }
    const layout = layoutFor('normal');
    const lines = paddleColumnLines(layout);
    const right = initialPaddleX(layout, 'a', 0);
    expect(columnZone(lines, 500)).toBe(2);
    expect(columnZone(lines, right - layout.ballSize - 1)).toBe(2);
    expect(columnZone(lines, right - layout.ballSize + 1)).toBe(3);
    expect(columnZone(lines, right + layout.paddleWidth + 1)).toBe(4);
  });
});

describe('BallReckoner', () => {
  it('passes every frame on and, while a point is in play, fills the ball in 30 times a second on its straight flight', () => {
    const { clock, out, r, balls } = reckoner();
    r.handle({ event: 'canvas', data: { canvas_width: 1000, canvas_height: 600 } });
    r.handle(ball(490, 290, 300, 120));
    r.handle({ event: 'start_countdown', data: null });
    clock.advance(2000);
    expect(balls()).toHaveLength(1);
    // The served ball stood still until start_game: the flight starts then.
    r.handle({ event: 'start_game', data: null });
    clock.advance(1000);
    const filled = balls().slice(1);
    expect(filled.length).toBeGreaterThanOrEqual(29);
    expect(filled.length).toBeLessThanOrEqual(30);
    const last = filled.at(-1)!;
    const t = Math.floor(1000 / FILL_IN_MS) * FILL_IN_MS / 1000;
    expect(last.position_x).toBeCloseTo(490 + 300 * t, 6);
    expect(last.position_y).toBeCloseTo(290 + 120 * t, 6);
    expect(last.speed_x).toBe(300);
    // A state from the server is the new start of the flight.
    r.handle(ball(700, 400, -300, 120));
    clock.advance(100);
    const since = balls().at(-1)!;
    expect(since.speed_x).toBe(-300);
    expect(since.position_x).toBeGreaterThanOrEqual(700 - 300 * 0.1);
    expect(since.position_x).toBeLessThanOrEqual(700 - 300 * (0.1 - FILL_IN_MS / 1000) + 1e-6);
    // A goal: nothing more is filled in.
    r.handle({ event: 'score', data: { team_a: 1, team_b: 0 } });
    const count = balls().length;
    clock.advance(1000);
    expect(balls()).toHaveLength(count);
    expect(out.map((f) => f.event).filter((e) => e !== 'game_state')).toEqual(['canvas', 'start_countdown', 'start_game', 'score']);
  });

  it('stops at a wall and at a paddle column, where the server sends what it cannot guess', () => {
    const { clock, r, balls } = reckoner();
    r.handle({ event: 'canvas', data: { canvas_width: 1000, canvas_height: 600 } });
    r.handle(ball(500, 100, 0.01, -400));
    r.handle({ event: 'start_game', data: null });
    clock.advance(1000);
    // 0.25 s to the top wall: no state beyond it.
    expect(balls().slice(1).every((b) => b.position_y >= 0)).toBe(true);
    expect(balls().length).toBeLessThanOrEqual(1 + 8);

    const layout = layoutFor('normal');
    const face = initialPaddleX(layout, 'a', 0) - layout.ballSize;
    r.handle(ball(face - 100, 300, 500, 0));
    const before = balls().length;
    clock.advance(1000);
    const flown = balls().slice(before);
    expect(flown.length).toBeGreaterThan(3);
    expect(flown.every((b) => b.position_x <= face)).toBe(true);
  });

  it('fills nothing in while paused, and after the socket stopped it', () => {
    const { clock, r, balls } = reckoner();
    r.handle(ball(300, 300, 200, 0));
    r.handle({ event: 'start_game', data: null });
    clock.advance(100);
    const count = balls().length;
    r.handle({ event: 'player_disconnected', data: { player: 7, seconds: 10 } });
    clock.advance(1000);
    expect(balls()).toHaveLength(count);
    r.handle({ event: 'start_game', data: null });
    r.stop();
    clock.advance(1000);
    expect(balls()).toHaveLength(count);
  });
});
