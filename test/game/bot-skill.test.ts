import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { BOT_LEVELS, steer, targetPaddleY, type BotSkill } from '../../src/game/bot/brain.js';
import { BotPlayer } from '../../src/game/bot/player.js';
import { layoutFor, seededRandom, type Team } from '../../src/game/engine/index.js';
import { decodeServerFrame, encodeClientFrame, type ServerMessages } from '../../src/game/protocol.js';
import type { Connection } from '../../src/game/rooms/members.js';
import { Room } from '../../src/game/rooms/room.js';

const normal = layoutFor('normal');

describe('bot brain', () => {
  it('aims under the predicted crossing of an incoming ball, and goes back to the centre otherwise', () => {
    // Straight at the right paddle (x 870): the ball's centre should meet the paddle's centre.
    const incoming = { x: 490, y: 290, speedX: 350, speedY: 0, speed: 350 };
    expect(targetPaddleY(normal, incoming, 870, 0)).toBe(290 + 10 - 100);
    // A bounce off the bottom wall: 1.2 s to the paddle, 180 units down from 500 reflect at 580 to 480.
    const diagonal = { x: 490, y: 500, speedX: 300, speedY: 150, speed: 335 };
    expect(targetPaddleY(normal, diagonal, 870, 0)).toBeCloseTo(480 + 10 - 100, 6);
    // Leaving, or an aim that would leave the field: clamped / centred.
    expect(targetPaddleY(normal, { ...incoming, speedX: -350 }, 870, 0)).toBe(200);
    expect(targetPaddleY(normal, incoming, 870, 1000)).toBe(400);
    expect(steer(100, 200, 6)).toBe(1);
    expect(steer(200, 100, 6)).toBe(-1);
    expect(steer(200, 204, 6)).toBe(0);
  });
});

/**
 * A room with two in-process bots: frames go through the real protocol
 * encoding, sockets are plain functions, the referee keeps the score the
 * way the matches service does and answers in a microtask.
 */
async function playGame(seed: number, skills: Record<Team, BotSkill>) {
  const clock = new ManualClock(0);
  const score: Record<Team, number> = { a: 0, b: 0 };
  const teamOf = (userId: number): Team => (userId === 1 ? 'a' : 'b');
  let over: ServerMessages['game_over'] | null = null;
  const room: Room = new Room(
    { id: 1, code: '0001', matchType: '1v1', players: [{ userId: 1, team: 'a', position: 0 }, { userId: 2, team: 'b', position: 0 }] },
    {
      clock,
      random: seededRandom(seed),
      onDisposed: () => {},
      referee: {
        async scoreGoal(userId, ownGoal) {
          const team = teamOf(userId);
          const credited: Team = ownGoal ? (team === 'a' ? 'b' : 'a') : team;
          score[credited] += 1;
          if (score[credited] === 3) room.matchFinished({ score: { ...score }, finishReason: 'normal-end', winner: credited });
          else room.goalRecorded({ score: { ...score } });
        },
        async forfeit() {},
      },
    },
  );
  for (const userId of [1, 2]) {
    let connection: Connection | null = null;
    const bot = new BotPlayer(userId, skills[teamOf(userId)], clock, seededRandom(seed * 7 + userId), (event, data) => {
      if (connection) room.receive(connection, encodeClientFrame(event, data));
    });
    connection = room.joinPlayer(userId, {
      send: (frames, count) => {
        for (let i = 0; i < count; i++) {
          const frame = decodeServerFrame(frames[i].text!)!;
          if (frame.event === 'game_over') over = frame.data;
          bot.handle(frame);
        }
      },
      close: () => {},
    });
  }
  for (let t = 0; t < 900_000 && !over; t += 10) {
    clock.advance(10);
    if (room.currentPhase === 'scoring') await Promise.resolve();
  }
  return over as ServerMessages['game_over'] | null;
}

describe('bot skill', () => {
  it('a hard bot beats an easy one; the easy one can still score', async () => {
    const results = [];
    for (let seed = 1; seed <= 8; seed++) results.push(await playGame(seed, { a: BOT_LEVELS.hard, b: BOT_LEVELS.easy }));
    expect(results.every((r) => r?.reason === 'normal-end')).toBe(true);
    const hardWins = results.filter((r) => r!.winner === 'a').length;
    expect(hardWins).toBeGreaterThanOrEqual(7);
    const easy = await playGame(42, { a: BOT_LEVELS.easy, b: BOT_LEVELS.easy });
    expect(Math.max(easy!.team_a, easy!.team_b)).toBe(3);
  });
});

describe('bot paddle', () => {
  it('looking at the ball 30 times a second (the compact encoding), moves once and stops on its target instead of shaking around it', () => {
    const clock = new ManualClock(0);
    const sent: { event: string; data: unknown }[] = [];
    const bot = new BotPlayer(2, BOT_LEVELS.hard, clock, seededRandom(1), (event, data) => sent.push({ event, data }));
    bot.handle({ event: 'start_countdown', data: { countdown: 3 } } as never);
    bot.handle({ event: 'start_game', data: null } as never);
    // Straight at the bot's paddle (x 870): the target (142) lies between two looks' positions of the paddle (150, 133.3).
    const ball = { position_x: 100, position_y: 232, speed_x: 350, speed_y: 0, speed: 350 };
    const target = targetPaddleY(normal, { x: 100, y: 232, speedX: 350, speedY: 0, speed: 350 }, 870, 0);
    for (let look = 0; look < 60; look++) {
      bot.handle({ event: 'game_state', data: { ...ball, position_x: ball.position_x + (350 * look) / 30 } });
      clock.advance(1000 / 30);
    }
    expect(sent.map((s) => s.event)).toEqual(['move_up', 'stop_moving']);
    expect((sent[1].data as { position: number }).position).toBeCloseTo(target, 6);
    expect(bot.currentY()).toBeCloseTo(target, 6);
  });
});
