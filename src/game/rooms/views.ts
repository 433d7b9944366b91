import { findPaddle, gameStatePayload, racketPositions, type GameState, type Viewer } from '../engine/index.js';
import { encodeServerFrame, type ServerMessages } from '../protocol.js';
import type { Connection, RoomMembers } from './members.js';

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

/** `game_state` to everybody, serialised once per perspective (team a, team b, spectators) and the same text written to each. */
export function sendGameState(state: GameState, members: RoomMembers): void {
  let a: string | null = null;
  let b: string | null = null;
  let spectator: string | null = null;
  const encode = (viewer: Viewer) => encodeServerFrame('game_state', gameStatePayload(state, viewer));
  members.forEach((connection) => {
    const viewer = connection.viewer;
    if (viewer === 'a') connection.sendText((a ??= encode(viewer)));
    else if (viewer === 'b') connection.sendText((b ??= encode(viewer)));
    else connection.sendText((spectator ??= encode(viewer)));
  });
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
  for (const away of absent) connection.send('player_disconnected', away);
}
