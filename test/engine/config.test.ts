import { describe, expect, it } from 'vitest';
import { GAME_CONFIG, layoutFor, layoutForMatchType, type GameConfig } from '../../src/game/engine/index.js';

const PUBLISHED_DOCUMENT = `{
  "server": { "tickRate": { "base": 60, "safe": 15 } },
  "canvas": {
    "normal": { "width": 1000, "height": 600 },
    "clash":  { "width": 1800, "height": 750 },
    "local":  { "width": 1500, "height": 750 }
  },
  "paddle": {
    "normal": { "width": 30, "height": 200, "speed": 500, "ledgeOffset": 100, "paddleOffset": 200 },
    "clash":  { "width": 30, "height": 100, "speed": 500, "ledgeOffset": 100, "paddleOffset": 200 },
    "local":  { "width": 30, "height": 200, "speed": 500, "ledgeOffset": 100, "paddleOffset": 200 }
  },
  "ball": {
    "size": 20,
    "speed": 350,
    "speedIncrement": 60,
    "maxSpeed": 1000,
    "maxBounceAngle": 1.2566370614359172,
    "maxBounceAngle3v3": 1.0471975511965976
  },
  "score": { "max": 3 }
}`;

describe('GAME_CONFIG', () => {
  it('is exactly the published configuration document', () => {
    expect(JSON.parse(JSON.stringify(GAME_CONFIG))).toStrictEqual(JSON.parse(PUBLISHED_DOCUMENT));
  });

  it('keeps the bounce angles at 72° (2π/5) and 60° (π/3)', () => {
    expect(GAME_CONFIG.ball.maxBounceAngle).toBe((2 * Math.PI) / 5);
    expect(GAME_CONFIG.ball.maxBounceAngle3v3).toBe(Math.PI / 3);
  });
});

describe('layouts', () => {
  it('builds the 1v1 layout from the "normal" constants', () => {
    expect(layoutFor('normal')).toStrictEqual({
      name: 'normal',
      width: 1000,
      height: 600,
      paddleWidth: 30,
      paddleHeight: 200,
      paddleSpeed: 500,
      ledgeOffset: 100,
      paddleOffset: 200,
      paddlesPerTeam: 1,
      ballSize: 20,
      serveSpeed: 350,
      speedIncrement: 60,
      maxSpeed: 1000,
      maxBounceAngle: 1.2566370614359172,
      slowsDownInSafeZone: true,
      baseTickRate: 60,
      safeTickRate: 15,
      winningScore: 3,
    });
  });

  it('builds the 3v3 layout with three short paddles per team, the 60° angle and no safe zone', () => {
    const clash = layoutFor('clash');
    expect([clash.width, clash.height, clash.paddleHeight, clash.paddlesPerTeam]).toEqual([1800, 750, 100, 3]);
    expect(clash.maxBounceAngle).toBe(1.0471975511965976);
    expect(clash.slowsDownInSafeZone).toBe(false);
  });

  it('builds the local layout as a wide 1v1 field without the server-side safe zone', () => {
    const local = layoutFor('local');
    expect([local.width, local.height, local.paddleHeight, local.paddlesPerTeam]).toEqual([1500, 750, 200, 1]);
    expect(local.maxBounceAngle).toBe(1.2566370614359172);
    expect(local.slowsDownInSafeZone).toBe(false);
  });

  it('chooses the layout from the match type', () => {
    expect(layoutForMatchType('1v1').name).toBe('normal');
    expect(layoutForMatchType('3v3').name).toBe('clash');
  });

  it('reads another configuration document when given one', () => {
    const longer: GameConfig = { ...GAME_CONFIG, score: { max: 5 }, ball: { ...GAME_CONFIG.ball, speed: 400 } };
    const layout = layoutFor('normal', longer);
    expect(layout.winningScore).toBe(5);
    expect(layout.serveSpeed).toBe(400);
  });
});
