import { describe, expect, it } from 'vitest';
import { applyCommand, stepPhysics, type GameState } from '../../src/game/engine/index.js';
import { A0, A1, A2, B0, liveGame, withBall, withPaddle } from './helpers.js';

const MAX_1V1 = 1.2566370614359172;
const MAX_3V3 = 1.0471975511965976;

/** The angle of the ball's path from the horizontal, positive when it goes up. */
function elevation(state: GameState): number {
  return Math.atan2(-state.ball.speedY, Math.abs(state.ball.speedX));
}

function hitTeamA(y: number, speed = 350): ReturnType<typeof stepPhysics> {
  // Right edge at 875: strictly inside team a's paddle [870, 900].
  return stepPhysics(withBall(liveGame('normal'), { x: 855, y, speedX: speed, speedY: 0, speed }), 0);
}

describe('face contacts', () => {
  it('sends a centre hit straight back, 60 faster, out in front of the paddle', () => {
    const { state, events } = hitTeamA(290);
    expect(state.ball).toEqual({ x: 850, y: 290, speedX: -410, speedY: 0, speed: 410 });
    expect(Object.is(state.ball.speedY, 0)).toBe(true);
    expect(state.lastToucher).toEqual(A0);
    expect(events).toEqual([{ type: 'paddle-hit', paddle: A0, contact: 'face', speed: 410 }]);
  });

  it('sends an edge hit up or down at the maximum bounce angle (72°)', () => {
    const top = hitTeamA(190).state; // ball centre on the paddle's top end
    expect(elevation(top)).toBeCloseTo(MAX_1V1, 12);
    expect(top.ball.speedX).toBeCloseTo(-410 * Math.cos(MAX_1V1), 9);
    expect(top.ball.speedY).toBeCloseTo(-410 * Math.sin(MAX_1V1), 9);
    expect(top.ball.speedY).toBeCloseTo(-389.93, 2);
    const bottom = hitTeamA(390).state;
    expect(elevation(bottom)).toBeCloseTo(-MAX_1V1, 12);
    expect(bottom.ball.speedY).toBeCloseTo(389.93, 2);
  });

  it('scales the angle with the impact and does not clamp it past the ends', () => {
    expect(elevation(hitTeamA(240).state)).toBeCloseTo(MAX_1V1 / 2, 12);
    // Centre 405: impact −1.05, still a contact as the ball overlaps the paddle.
    const beyond = hitTeamA(395).state;
    expect(elevation(beyond)).toBeCloseTo(-1.05 * MAX_1V1, 12);
    expect(Math.hypot(beyond.ball.speedX, beyond.ball.speedY)).toBeCloseTo(410, 9);
  });

  it('uses the 60° maximum in 3v3', () => {
    // Team a's first paddle: x 1670, y 325..425, centre 375.
    const base = liveGame('clash');
    const top = stepPhysics(withBall(base, { x: 1655, y: 315, speedX: 350, speedY: 0, speed: 350 }), 0).state;
    expect(elevation(top)).toBeCloseTo(MAX_3V3, 12);
    expect(top.ball.speedX).toBeCloseTo(-205, 9);
    expect(top.ball.speedY).toBeCloseTo(-355.0704155516198, 9);
    const halfway = stepPhysics(withBall(base, { x: 1655, y: 390, speedX: 350, speedY: 0, speed: 350 }), 0).state;
    expect(elevation(halfway)).toBeCloseTo(-MAX_3V3 / 2, 12);
  });

  it('bounces off team b paddle to the right and leaves the ball on its right face', () => {
    // Team b's paddle spans [100, 130]; the ball's left edge at 115 is inside it.
    const state = withBall(liveGame('normal'), { x: 115, y: 290, speedX: -500, speedY: 120, speed: 514.2 });
    const next = stepPhysics(state, 0).state;
    expect(next.ball.x).toBe(130);
    expect(next.ball.speedX).toBeCloseTo(574.2, 9);
    expect(next.lastToucher).toEqual(B0);
  });

  it('leaves a ball that ended wholly inside a paddle on the side it now travels to', () => {
    // Only a long step (client-side prediction) gets here: ball [105, 125] inside team b's [100, 130].
    const left = stepPhysics(withBall(liveGame('normal'), { x: 105, y: 290, speedX: -350, speedY: 0, speed: 350 }), 0);
    expect([left.state.ball.x, left.state.ball.speedX]).toEqual([130, 410]);
    const right = stepPhysics(withBall(liveGame('normal'), { x: 875, y: 290, speedX: 350, speedY: 0, speed: 350 }), 0);
    expect([right.state.ball.x, right.state.ball.speedX]).toEqual([850, -410]);
  });

  it('adds 60 per face hit and caps the speed at 1000 after 11 hits', () => {
    let speed = 350;
    const seen: number[] = [];
    for (let hit = 0; hit < 12; hit += 1) {
      const next = hitTeamA(290, speed).state;
      speed = next.ball.speed;
      seen.push(speed);
      expect(Math.hypot(next.ball.speedX, next.ball.speedY)).toBeCloseTo(speed, 9);
    }
    expect(seen).toEqual([410, 470, 530, 590, 650, 710, 770, 830, 890, 950, 1000, 1000]);
  });

  it('needs an edge strictly inside the paddle and a strict vertical overlap', () => {
    const base = liveGame('normal');
    const flush = stepPhysics(withBall(base, { x: 850, y: 290, speedX: 350, speedY: 0 }), 0);
    expect(flush.events).toEqual([]);
    const above = stepPhysics(withBall(base, { x: 855, y: 180, speedX: 350, speedY: 0 }), 0);
    expect(above.events).toEqual([]);
    const below = stepPhysics(withBall(base, { x: 855, y: 400, speedX: 350, speedY: 0 }), 0);
    expect(below.events).toEqual([]);
    const grazing = stepPhysics(withBall(base, { x: 855, y: 181, speedX: 350, speedY: 0 }), 0);
    expect(grazing.events).toHaveLength(1);
    // Flush against the right face of team b's paddle [100, 130]: no edge strictly inside.
    const flushRight = stepPhysics(withBall(base, { x: 130, y: 290, speedX: -350, speedY: 0 }), 0);
    expect(flushRight.events).toEqual([]);
    expect(flushRight.state.paddles[1].gliding).toBe(false);
  });

  it('makes every paddle solid on both faces: a clearance can rebound off a team-mate', () => {
    // Team a's second paddle spans [1470, 1500] × [325, 425]; the ball hits its back.
    const state = withBall(liveGame('clash'), { x: 1490, y: 365, speedX: -350, speedY: 0, speed: 350 });
    const next = stepPhysics({ ...state, lastToucher: A0 }, 0).state;
    expect(next.ball.x).toBe(1500);
    expect(next.ball.speedX).toBe(410);
    expect(next.lastToucher).toEqual(A1);
  });

  it('checks team a paddles before team b paddles, each against the updated ball', () => {
    // Two paddles of different teams overlap the same spot: only the first one (team a) bounces the ball
    // since it leaves the ball outside the second one.
    let state = withPaddle(liveGame('clash'), A2, { x: 700, y: 300 });
    state = withPaddle(state, { team: 'b', index: 2 }, { x: 700, y: 300 });
    state = withBall(state, { x: 685, y: 390, speedX: 350, speedY: 0, speed: 350 });
    const { state: next, events } = stepPhysics(state, 0);
    expect(events).toEqual([{ type: 'paddle-hit', paddle: A2, contact: 'face', speed: 410 }]);
    expect(next.ball.x).toBe(680);
  });
});

describe('glide flag and side contacts', () => {
  it('sets the glide flag while the ball is level with the paddle without touching it, and clears it after', () => {
    const beside = stepPhysics(withBall(liveGame('normal'), { x: 860, y: 100, speedX: 60, speedY: 0, speed: 60 }), 0);
    expect(beside.events).toEqual([]);
    expect(beside.state.paddles[0].gliding).toBe(true);
    expect(beside.state.paddles[1].gliding).toBe(false);
    const past = stepPhysics(withBall(beside.state, { x: 905 }), 0);
    expect(past.state.paddles[0].gliding).toBe(false);
  });

  it('pushes the ball off the end of a paddle that moves onto it, keeping its horizontal motion and speed', () => {
    const beside = stepPhysics(withBall(liveGame('normal'), { x: 860, y: 170, speedX: 60, speedY: 0, speed: 60 }), 0).state;
    const rising = applyCommand(beside, A0, { type: 'move_up' });
    const { state, events } = stepPhysics(rising, 0.05);
    // Paddle 175..375 now overlaps the ball 170..190; its top end is nearer.
    expect(state.paddles[0].y).toBeCloseTo(175, 9);
    expect(state.ball.y).toBeCloseTo(155, 9);
    expect(state.ball.x).toBeCloseTo(863, 9);
    expect([state.ball.speedX, state.ball.speedY, state.ball.speed]).toEqual([60, 0, 60]);
    expect(events).toEqual([{ type: 'paddle-hit', paddle: A0, contact: 'side', speed: 60 }]);
    expect(state.lastToucher).toEqual(A0);
  });

  it('turns a ball heading into the paddle away from it', () => {
    const gliding = withPaddle(liveGame('normal'), A0, { gliding: true });
    const fromAbove = stepPhysics(withBall(gliding, { x: 860, y: 185, speedX: 350, speedY: 100, speed: 364 }), 0);
    expect(fromAbove.state.ball).toEqual({ x: 860, y: 180, speedX: 350, speedY: -100, speed: 364 });
    const fromBelow = stepPhysics(withBall(gliding, { x: 860, y: 390, speedX: 350, speedY: -100, speed: 364 }), 0);
    expect(fromBelow.state.ball).toEqual({ x: 860, y: 400, speedX: 350, speedY: 100, speed: 364 });
    const levelWithTop = stepPhysics(withBall(gliding, { x: 860, y: 200, speedX: 350, speedY: 100, speed: 364 }), 0);
    expect(levelWithTop.state.ball).toEqual({ x: 860, y: 180, speedX: 350, speedY: -100, speed: 364 });
    const leaving = stepPhysics(withBall(gliding, { x: 860, y: 185, speedX: 350, speedY: -50, speed: 354 }), 0);
    expect(leaving.state.ball.speedY).toBe(-50);
    expect(leaving.state.ball.y).toBe(180);
  });
});

describe('paddle contacts in 3v3', () => {
  it('lets a team b midfielder strike the ball (x 500)', () => {
    const state = withBall(liveGame('clash'), { x: 515, y: 365, speedX: -350, speedY: 0, speed: 350 });
    const next = stepPhysics(state, 0).state;
    expect(next.lastToucher).toEqual({ team: 'b', index: 2 });
    expect(next.ball.x).toBe(530);
    expect(next.ball.speedX).toBe(410);
  });

  it('does not touch team-mates that the ball does not reach', () => {
    const state = withBall(liveGame('clash'), { x: 1255, y: 365, speedX: 350, speedY: 0, speed: 350 });
    const { events } = stepPhysics(state, 0);
    expect(events).toEqual([{ type: 'paddle-hit', paddle: A2, contact: 'face', speed: 410 }]);
  });
});
