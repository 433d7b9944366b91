import { findPaddle, gameStatePayload, racketPositions, type GameState, type Viewer } from '../engine/index.js';
import { encodeServerFrame, type ServerMessages } from '../protocol.js';
import type { BallView, Connection, RoomMembers } from './members.js';

/** Per-viewer payloads, mirrored for team b. */
export function racketsFor(state: GameState, members: RoomMembers, viewer: Viewer): ServerMessages['rackets'] {
  const rackets: Record<string, number> = {};
  for (const { team, index, x } of racketPositions(state, viewer)) {
    const seat = members.seatAt(team, index);
    if (seat) rackets[String(seat.userId)] = x;
  }
  return rackets;
}

export function canvasOf(state: GameState): ServerMessages['canvas'] {
  return { canvas_width: state.layout.width, canvas_height: state.layout.height };
}

export function scoreOf(state: GameState): ServerMessages['score'] {
  return { team_a: state.score.a, team_b: state.score.b };
}

/**
 * The ball of `game_state` as `viewer` sees it, written into `out`: the
 * numbers of `gameStatePayload` (mirror.ts), same expressions, without an object.
 */
export function ballView(state: GameState, viewer: Viewer, out: BallView): void {
  const { ball, layout } = state;
  if (viewer === 'b') {
    out.x = layout.width - ball.x - layout.ballSize;
    out.speedX = 0 - ball.speedX;
  } else {
    out.x = ball.x;
    out.speedX = ball.speedX;
  }
  out.y = ball.y;
  out.speedY = ball.speedY;
  out.speed = ball.speed;
}

/** The JSON `game_state` frame of one perspective. */
export function gameStateJson(state: GameState, viewer: Viewer): string {
  return encodeServerFrame('game_state', gameStatePayload(state, viewer));
}

/**
 * The catch-up sequence (docs/game-protocol.md, Catch-up), in the recipient's perspective: score,
 * canvas, rackets, every paddle's y, `start_game` while a point is in play,
 * the ball, then one `player_disconnected` per player away (the game is
 * paused until he is back).
 */
export function sendCatchUp(
  state: GameState,
  members: RoomMembers,
  connection: Connection,
  pointInPlay: boolean,
  absent: ReadonlyArray<ServerMessages['player_disconnected']> = [],
): void {
  const viewer = connection.viewer;
  connection.send('score', scoreOf(state));
  connection.send('canvas', canvasOf(state));
  connection.send('rackets', racketsFor(state, members, viewer));
  for (const seat of members.seats) {
    connection.send('stop_moving', { player: seat.userId, position: findPaddle(state, seat).y });
  }
  if (pointInPlay) connection.send('start_game', null);
  connection.send('game_state', gameStatePayload(state, viewer));
  // Its own game_state carried every field: the perspective's next one does too, so that its compact connections share one base.
  if (connection.encoding === 'compact') members.resetBase(viewer);
  for (const away of absent) connection.send('player_disconnected', away);
}
