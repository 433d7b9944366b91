import { Type, type TSchema } from 'typebox';
import { ComputerMark } from '../computer/schemas.js';
import { SmallProfilePicture } from '../users/schemas.js';

/** The replay document's shape (docs/replays.md, The replay document), for validation-free serialising and the OpenAPI document. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Team = Type.Union([Type.Literal('a'), Type.Literal('b')]);
const Score = Type.Object({ a: Type.Integer(), b: Type.Integer() });
const Tick = Type.Integer({ minimum: 0, description: 'engine ticks run before this event, from the start of the recording' });
const Ms = Type.Integer({ minimum: 0, description: 'clock ms since the room opened' });
const Seat = {
  team: Team,
  index: Type.Integer({ minimum: 0, description: "rank in the team's list: the paddle {team, index}" }),
  player: Type.Integer({ description: 'user id' }),
};

const Layout = Type.Object({
  name: Type.Union([Type.Literal('normal'), Type.Literal('clash'), Type.Literal('local')]),
  width: Type.Number(),
  height: Type.Number(),
  paddleWidth: Type.Number(),
  paddleHeight: Type.Number(),
  paddleSpeed: Type.Number(),
  ledgeOffset: Type.Number(),
  paddleOffset: Type.Number(),
  paddlesPerTeam: Type.Integer(),
  ballSize: Type.Number(),
  serveSpeed: Type.Number(),
  speedIncrement: Type.Number(),
  maxSpeed: Type.Number(),
  maxBounceAngle: Type.Number(),
  slowsDownInSafeZone: Type.Boolean(),
  baseTickRate: Type.Number(),
  safeTickRate: Type.Number(),
  winningScore: Type.Integer(),
}, { description: "the engine's Layout (src/game/engine/layout.ts): pass it to createGame as it is" });

const ReplayEvent = Type.Union([
  Type.Object({ tick: Tick, type: Type.Union([Type.Literal('move_up'), Type.Literal('move_down')]), ...Seat }),
  Type.Object({
    tick: Tick, type: Type.Literal('stop_moving'), ...Seat,
    position: Nullable(Type.Number({ description: "the client's y the server adopted; null: the paddle stopped where the server had it" })),
  }),
  Type.Object({ tick: Tick, ms: Ms, type: Type.Union([Type.Literal('start_countdown'), Type.Literal('start_game'), Type.Literal('serve'), Type.Literal('resume')]) }),
  Type.Object({ tick: Tick, ms: Ms, type: Type.Literal('score'), score: Score }),
  Type.Object({ tick: Tick, ms: Ms, type: Type.Union([Type.Literal('player_disconnected'), Type.Literal('player_reconnected')]), ...Seat }),
  Type.Object({ tick: Tick, ms: Ms, type: Type.Literal('game_over'), reason: Type.String(), score: Score, forfeited_by: Nullable(Type.Integer()) }),
]);

const Goal = Type.Object({
  tick: Type.Integer({ description: 'the engine tick that scored it' }),
  team: Team,
  scorer: Type.Integer({ description: 'user id of the player the goal is reported for' }),
  own_goal: Type.Boolean(),
});

const PlayerCard = Type.Object({
  id: Type.Integer(),
  username: Type.Optional(Type.String()),
  profile_picture: Type.Optional(SmallProfilePicture),
  computer: ComputerMark,
}, { description: 'the small user object; only `id` for a deleted account; `computer` (its level) for a computer player' });

export const ReplayObject = Type.Object({
  version: Type.Literal(1),
  match_id: Type.Integer(),
  game_mode: Type.String(),
  match_type: Type.Union([Type.Literal('1v1'), Type.Literal('3v3')]),
  layout: Layout,
  seed: Type.Integer({ minimum: 0, maximum: 4294967295, description: 'seeds seededRandom (src/game/engine/random.ts), which draws every serve' }),
  takeover: Type.Boolean({ description: 'the recording starts where a node took the match over, at start_score' }),
  start_score: Score,
  teams: Type.Object({ a: Type.Array(PlayerCard), b: Type.Array(PlayerCard) }, { description: 'players in slot order' }),
  events: Type.Array(ReplayEvent, { description: 'inputs and flow events in the order the room applied them' }),
  goals: Type.Array(Goal),
  duration_ticks: Type.Integer(),
  duration_ms: Type.Integer(),
  final_score: Type.Object({ a: Type.Integer(), b: Type.Integer() }, { description: 'the team score (docs/api.md, One result per match)' }),
  field_score: Type.Object({ a: Type.Integer(), b: Type.Integer() }, { description: 'goals really scored on the field' }),
  winner: Nullable(Team),
  finish_reason: Nullable(Type.String()),
  forfeited_by: Nullable(Type.Integer()),
});
