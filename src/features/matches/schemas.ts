import { Type, type TSchema } from 'typebox';
import { DateTime } from '../../platform/http/schemas.js';
import { ComputerMark } from '../computer/schemas.js';
import { SmallProfilePicture } from '../users/schemas.js';
import { FORFEIT_REASONS, GAME_MODES, MatchMessages as M } from './messages.js';

/** Documentation shapes; extra keys pass through (players are enriched or bare depending on the endpoint). */
const open = { additionalProperties: true };
/** A player: bare (`id`, `score`) on the internal endpoints, with the user card on the public ones. */
const Player = Type.Object({
  id: Type.Integer(),
  score: Type.Integer({ description: 'goals this player scored himself' }),
  username: Type.Optional(Type.String()),
  profile_picture: Type.Optional(SmallProfilePicture),
  trophies: Type.Optional(Type.Integer({ description: 'ranked only: the trophies won or lost' })),
  own_goal: Type.Optional(Type.Integer({ description: 'clash only' })),
  computer: ComputerMark,
}, open);
const TeamView = Type.Object({ score: Type.Integer(), players: Type.Array(Player) });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const TeamLetter = Type.Union([Type.Literal('a'), Type.Literal('b')]);
const GameMode = Type.Union(GAME_MODES.map((mode) => Type.Literal(mode)));
const MatchType = Type.Union([Type.Literal('1v1'), Type.Literal('3v3')]);

export const MatchObject = Type.Object({
  id: Type.Integer(),
  code: Type.Optional(Nullable(Type.String())),
  game_mode: GameMode,
  created_at: DateTime,
  game_duration: Type.String({ description: '[D ]HH:MM:SS[.ffffff]' }),
  tournament_id: Type.Optional(Nullable(Type.Integer())),
  tournament_stage_id: Nullable(Type.Integer()),
  tournament_n: Nullable(Type.Integer()),
  match_type: MatchType,
  finished: Type.Boolean(),
  winner: Nullable(TeamLetter),
  looser: Nullable(TeamLetter),
  teams: Type.Object({ a: TeamView, b: TeamView }),
  finish_reason: Type.Optional(Nullable(Type.String())),
  forfeited_by: Type.Optional(Nullable(Type.Integer({ description: 'The user whose absence ended the match (player-disconnect, player-not-connected); the result is then recorded 3–0' }))),
  field_score: Type.Optional(Type.Object({ a: Type.Integer(), b: Type.Integer() }, { description: 'Goals really scored on the field by each team; differs from the team scores only after a forfeit' })),
}, open);

/** A match of an archived tournament: its lead players (`score`: their own goals) and the team score. */
const BracketEntry = Type.Object({
  id: Type.Integer(),
  n: Nullable(Type.Integer()),
  game_duration: Type.String(),
  winner: Nullable(Player),
  looser: Nullable(Player),
  score_winner: Nullable(Type.Integer()),
  score_looser: Nullable(Type.Integer()),
  forfeited_by: Nullable(Type.Integer()),
  finish_reason: Nullable(Type.String()),
}, open);

export const TournamentObject = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  size: Type.Integer(),
  start_at: DateTime,
  created_at: Type.Optional(DateTime),
  finish_at: DateTime,
  created_by: Type.Integer(),
  matches: Type.Record(Type.String(), Type.Array(BracketEntry), { description: 'the matches of each stage, by stage label' }),
}, open);

export const NewMatchBody = Type.Object({
  game_mode: Type.Optional(Type.Unknown()),
  teams: Type.Optional(Type.Unknown()),
  tournament_id: Type.Optional(Type.Unknown()),
  tournament_stage_id: Type.Optional(Type.Unknown()),
  tournament_n: Type.Optional(Type.Unknown()),
}, { ...open, description: '{"game_mode", "teams": {"a": [{"id", "trophies"?}], "b": [...]}, "tournament_*"?}' });

export const NotPlayedBody = Type.Object({
  user_id: Type.Integer(),
  tournament_id: Type.Integer(),
  tournament_stage_id: Type.Integer(),
  tournament_n: Type.Integer(),
});

export const NotPlayedAnswer = Type.Object({
  id: Type.Integer(), game_mode: Type.String(), created_at: DateTime,
  tournament_id: Type.Integer(), tournament_stage_id: Type.Integer(), tournament_n: Type.Integer(), winner: Type.String(),
});

export const ScoreBody = Type.Object({ own_goal: Type.Optional(Type.Boolean()) });

export const FinishBody = Type.Object({
  user_id: Type.Integer(),
  finish_reason: Type.Unsafe<(typeof FORFEIT_REASONS)[number]>({
    type: 'string', maxLength: 20, enum: [...FORFEIT_REASONS], 'x-choice-message': M.finishReasonChoice,
  }),
});

export const FinishAnswer = Type.Object({ id: Type.Integer(), finish_reason: Type.String(), finished: Type.Boolean() });

export const TournamentBody = Type.Object({
  id: Type.Integer(),
  name: Type.String({ minLength: 1, maxLength: 50 }),
  size: Type.Optional(Type.Integer({ enum: [4, 8, 16] })),
  created_at: Type.Optional(Type.Union([DateTime, Type.Null()])),
  start_at: DateTime,
  finish_at: DateTime,
  created_by: Type.Integer(),
  stages: Type.Array(Type.Object({ id: Type.Integer(), label: Type.String({ maxLength: 20 }), stage: Type.Integer({ minimum: 0, maximum: 3 }) })),
}, open);

export const ExportAnswer = Type.Object({ matches: Type.Array(MatchObject), tournaments: Type.Array(TournamentObject) });
