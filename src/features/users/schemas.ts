import { Type } from 'typebox';
import { DateTime } from '../../platform/http/schemas.js';

export const SmallProfilePicture = Type.Object({
  id: Type.Integer(), name: Type.String(), small: Type.String(), medium: Type.String(),
});

export const SmallUser = Type.Object({ id: Type.Integer(), username: Type.String(), profile_picture: SmallProfilePicture });

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  is_guest: Type.Boolean(),
  created_at: DateTime,
  profile_picture: SmallProfilePicture,
  accept_friend_request: Type.Boolean(),
  accept_chat_from: Type.String({ enum: ['none', 'friends_only', 'everyone'] }),
  trophies: Type.Integer(),
  notifications: Type.Object({ friend_requests: Type.Integer(), chats: Type.Integer() }),
  is_online: Type.Boolean(),
  last_online: DateTime,
});

export const ProfilePicture = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  unlock_reason: Type.String(),
  unlock: Type.Boolean(),
  is_equiped: Type.Boolean(),
  url: Type.String(),
  small: Type.String(),
  medium: Type.String(),
  large: Type.String(),
});

export const Status = Type.Object({
  is_online: Type.Boolean(),
  game_playing: Type.Union([Type.String(), Type.Null()]),
  last_online: DateTime,
});

/** A small user with trophies and status. */
export const LargeUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  profile_picture: SmallProfilePicture,
  trophies: Type.Integer(),
  status: Status,
});

/** A friendship, seen by the caller. */
export const Friendship = Type.Object({
  id: Type.Integer(),
  friend: LargeUser,
  friend_wins: Type.Integer(),
  me_wins: Type.Integer(),
  friends_since: DateTime,
  matches_played_against: Type.Integer(),
  matches_played_together: Type.Integer(),
  matches_won_together: Type.Integer(),
});

/** A friendship without a viewer. */
export const FriendshipSummary = Type.Object({
  id: Type.Integer(),
  friends_since: DateTime,
  matches_played_against: Type.Integer(),
  matches_played_together: Type.Integer(),
  matches_won_together: Type.Integer(),
});

/** A friend request: `new` only in the receiver's view. */
export const FriendRequest = Type.Object({
  id: Type.Integer(),
  sender: SmallUser,
  receiver: SmallUser,
  send_at: DateTime,
  new: Type.Optional(Type.Boolean()),
});

/** An entry of the caller's block list. */
export const BlockedEntry = Type.Object({ id: Type.Integer(), blocked: SmallUser, blocked_at: DateTime });

/** Another user seen by the caller, with `friends`: their friendship, or null. */
export const PublicUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  is_guest: Type.Boolean(),
  profile_picture: SmallProfilePicture,
  status: Status,
  trophies: Type.Integer(),
  friends: Type.Union([Friendship, Type.Null()]),
});

/** A statistics row, with `id`; `own_goals` on clash and `tournament_wins` on tournament only. */
export const Stat = Type.Object({
  id: Type.Integer(),
  game_mode: Type.String(),
  scored: Type.Integer(),
  game_played: Type.Integer(),
  wins: Type.Integer(),
  longest_win_streak: Type.Integer(),
  current_win_streak: Type.Integer(),
  own_goals: Type.Optional(Type.Integer()),
  tournament_wins: Type.Optional(Type.Integer()),
});

/** One entry of the ranked trophy history. */
export const RankedStat = Type.Object({
  id: Type.Integer(), trophies: Type.Integer(), total_trophies: Type.Integer(), at: DateTime, user: Type.Integer(),
});

/** The data export; `chat_data` and `game_data` are produced by the chat and game features. */
export const DataExport = Type.Object({
  user_data: Me,
  profile_pictures_data: Type.Array(ProfilePicture),
  friends_data: Type.Object({
    friends: Type.Array(FriendshipSummary),
    friend_requests_sent: Type.Array(FriendRequest),
    friend_requests_received: Type.Array(FriendRequest),
    blocked_users: Type.Array(BlockedEntry),
  }),
  stats_data: Type.Array(Stat),
  ranked_data: Type.Array(RankedStat),
  chat_data: Type.Unknown(),
  game_data: Type.Unknown(),
});

/**
 * A numeric path segment. Path parameters arrive as strings and Ajv does not
 * coerce them, so the id is matched as digits (at most 9: always a valid
 * 32-bit id) and read with `idParam`; anything else is a 404.
 */
export const NumericIdParam = (name: string) => Type.Object({ [name]: Type.String({ pattern: '^[0-9]{1,9}$' }) });

export function idParam(request: { params: unknown }, name: string): number {
  return Number((request.params as Record<string, string>)[name]);
}
