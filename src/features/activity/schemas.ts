import { Type, type Static } from 'typebox';
import { DateTime, StringEnum } from '../../platform/http/schemas.js';
import { ComputerMark } from '../computer/schemas.js';
import { GAME_MODES } from '../matches/messages.js';
import { SmallProfilePicture, SmallUser } from '../users/schemas.js';
import { ActivityMessages as M } from './messages.js';

/** `GET /api/activity/`: the home page's figures. */
export const ActivityCounts = Type.Object({
  online: Type.Integer({ description: 'users with an open live stream, on any node' }),
  playing: Type.Integer({ description: 'people (not lobby bots) in an unfinished match' }),
  live_matches: Type.Integer({ description: 'unfinished matches, listed to the caller or not' }),
  open_tournaments: Type.Integer({ description: 'public tournaments not started yet' }),
});
export type ActivityCounts = Static<typeof ActivityCounts>;

/** The `data` of the `activity-update` event (docs/events.md): the counts and the version of the live list. */
export const ActivityUpdate = Type.Object({
  ...ActivityCounts.properties,
  live_version: Type.Integer({ description: 'changes whenever the live list (matches, scores, spectators) changes' }),
});
export type ActivityUpdate = Static<typeof ActivityUpdate>;

/** A player of a live match: the small user, with `computer` (its level) for a computer player. */
const LivePlayer = Type.Object({ ...SmallUser.properties, computer: ComputerMark });

/** One match of `GET /api/game/live/`. */
export const LiveMatch = Type.Object({
  code: Type.String({ description: 'the match code spectators connect with (`/ws/game/?match_code=`)' }),
  match_type: StringEnum(['1v1', '3v3']),
  game_mode: StringEnum([...GAME_MODES]),
  teams: Type.Object({ a: Type.Array(LivePlayer), b: Type.Array(LivePlayer) }),
  score: Type.Object({ a: Type.Integer(), b: Type.Integer() }),
  started_at: DateTime,
  spectators: Type.Integer({ description: 'distinct users watching' }),
});
export type LiveMatch = Static<typeof LiveMatch>;

/** One entry of `GET /api/users/leaderboard/`: a small user with `rank` and `trophies`. */
export const LadderEntry = Type.Object({
  rank: Type.Integer({ description: 'standard competition rank: ties share it (1, 2, 2, 4)' }),
  id: Type.Integer(),
  username: Type.String(),
  profile_picture: SmallProfilePicture,
  trophies: Type.Integer(),
});
export type LadderEntry = Static<typeof LadderEntry>;

/** `limit` and `offset` as the platform's pagination reads them (bad values fall back to the defaults). */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: 'entries per page, 20 by default, at most 100' })),
  offset: Type.Optional(Type.String()),
});

export const LiveQuery = Type.Object({
  ...PageQuery.properties,
  code: Type.Optional(Type.String({ description: 'only the match with this code (a spectator learning who plays, computer players marked)' })),
});

export const LadderQuery = Type.Object({
  ...PageQuery.properties,
  around: Type.Optional(StringEnum(['me'], M.aroundChoice)),
});
