import type { Generated } from 'kysely';

/**
 * Table types shared by every feature's repo. Booleans are stored as 0/1 and
 * timestamps as ISO-8601 UTC text so that SQLite and PostgreSQL read back the
 * same JavaScript values.
 */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  username_lower: string;
  password_hash: string | null;
  is_guest: number;
  token_version: Generated<number>;
  created_at: string;
  accept_friend_request: Generated<number>;
  accept_chat_from: Generated<string>;
  trophies: Generated<number>;
  profile_picture_id: number;
  is_online: Generated<number>;
  last_online: string;
  game_playing: string | null;
}

export interface UserPicturesTable {
  user_id: number;
  picture_id: number;
  unlocked_at: string;
}

export interface PresenceTable {
  node_id: string;
  user_id: number;
  streams: number;
  updated_at: string;
}

export interface ChatsTable {
  id: Generated<number>;
  /** The smaller participant id; `user_b_id` the larger. */
  user_a_id: number;
  user_b_id: number;
  view_a: Generated<number>;
  view_b: Generated<number>;
  created_at: string;
  last_updated: string;
}

export interface ChatMessagesTable {
  id: Generated<number>;
  chat_id: number;
  author_id: number;
  content: string;
  is_read: Generated<number>;
  sent_at: string;
}

export interface FriendRequestsTable {
  id: Generated<number>;
  sender_id: number;
  receiver_id: number;
  /** "<smaller id>:<larger id>": one pending request per pair. */
  pair_key: string;
  send_at: string;
  is_new: Generated<number>;
}

export interface FriendshipsTable {
  /** The id of the accepted request. */
  id: number;
  /** The original sender. */
  user1_id: number;
  /** The accepter. */
  user2_id: number;
  pair_key: string;
  created_at: string;
  matches_played_against: Generated<number>;
  user1_wins: Generated<number>;
  user2_wins: Generated<number>;
  matches_played_together: Generated<number>;
  matches_won_together: Generated<number>;
}

export interface BlocksTable {
  id: Generated<number>;
  blocker_id: number;
  blocked_id: number;
  blocked_at: string;
}

export interface UserStatsTable {
  id: Generated<number>;
  user_id: number;
  game_mode: string;
  scored: Generated<number>;
  game_played: Generated<number>;
  wins: Generated<number>;
  longest_win_streak: Generated<number>;
  current_win_streak: Generated<number>;
  tournament_wins: Generated<number>;
  own_goals: Generated<number>;
}

export interface RankedHistoryTable {
  id: Generated<number>;
  user_id: number;
  trophies: number;
  total_trophies: number;
  at: string;
}

export interface MatchesTable {
  id: Generated<number>;
  /** 4 digits while unfinished, null once finished. */
  code: string | null;
  game_mode: string;
  match_type: string;
  created_at: string;
  tournament_id: number | null;
  tournament_stage_id: number | null;
  tournament_n: number | null;
  game_start: Generated<number>;
  finished: Generated<number>;
  finish_reason: string | null;
  finished_at: string | null;
  score_a: Generated<number>;
  score_b: Generated<number>;
  winner: string | null;
  looser: string | null;
  /** The user whose absence ended the match (forfeits only). */
  forfeited_by: number | null;
}

export interface MatchPlayersTable {
  match_id: number;
  user_id: number;
  team: string;
  /** 0-based rank inside the team (list order). */
  position: number;
  score: Generated<number>;
  own_goal: Generated<number>;
  trophies: number | null;
  /** = user_id while the match is unfinished, null afterwards (unique: one live match per user). */
  live_user_id: number | null;
  /** A computer player's level (easy, medium, hard); null for a person (migration 012). */
  bot_level: Generated<string | null>;
}

export interface TournamentsTable {
  id: number;
  name: string;
  size: number;
  created_at: string | null;
  start_at: string;
  finish_at: string;
  created_by: number;
}

export interface TournamentStagesTable {
  id: number;
  tournament_id: number;
  label: string;
  stage: number;
}

export interface QueueEntriesTable {
  id: Generated<number>;
  user_id: number;
  game_mode: string;
  trophies: number;
  join_at: string;
  /** join_at in milliseconds since the epoch (the ranked window widens from it). */
  join_ms: number;
}

export interface LobbiesTable {
  id: Generated<number>;
  code: string;
  game_mode: string;
  match_type: string;
  max_participants: number;
  created_at: string;
  /** The internal ready flag (a clash lobby with it set is in the pool). */
  ready: Generated<number>;
  game_playing: string | null;
  match_id: number | null;
  /** Computer players fill the empty seats of a custom game. */
  bot: Generated<number>;
}

export interface LobbyMembersTable {
  id: Generated<number>;
  lobby_id: number;
  user_id: number;
  creator: Generated<number>;
  is_guest: Generated<number>;
  is_ready: Generated<number>;
  /** custom_game only: 'a', 'b' or 'spectator'. */
  team: string | null;
  join_at: string;
}

export interface LobbyBansTable {
  lobby_id: number;
  user_id: number;
}

export interface PlayBotsTable {
  user_id: number;
  created_at: string;
}

/** A running node (issue 8): peers reach it at `url`; dead once `heartbeat_at` is older than the TTL. */
export interface NodesTable {
  node_id: string;
  url: string;
  started_at: string;
  heartbeat_at: string;
}

/** The node that referees a live match. */
export interface LiveRoomsTable {
  match_id: number;
  code: string;
  node_id: string;
  created_at: string;
  /** Spectators connected to the room, as its node counts them (distinct users). */
  spectators: Generated<number>;
}

/** A running tournament; its next deadline is stored with it. */
export interface PlayTournamentsTable {
  id: Generated<number>;
  code: string;
  name: string;
  size: number;
  private: Generated<number>;
  created_by: number;
  created_at: string;
  start_at: string | null;
  started: Generated<number>;
  finished: Generated<number>;
  current_stage_id: number | null;
  counter: Generated<number>;
  /** 'start' | 'launch' | 'round', with its time in ms since the epoch. */
  deadline_kind: string | null;
  deadline_ms: number | null;
}

export interface PlayTournamentStagesTable {
  id: Generated<number>;
  tournament_id: number;
  label: string;
  stage: number;
}

export interface PlayTournamentRecordsTable {
  id: Generated<number>;
  tournament_id: number;
  user_id: number;
  trophies: number;
  creator: Generated<number>;
  join_at: string;
  seed: number | null;
  stage_id: number | null;
  still_in: Generated<number>;
  connected: Generated<number>;
  /** `user_id` while connected, else null (unique: one connected record per user). */
  connected_user_id: number | null;
  /** A computer player's level (easy, medium, hard); null for a person. */
  bot_level: Generated<string | null>;
}

export interface PlayBracketMatchesTable {
  id: Generated<number>;
  tournament_id: number;
  stage_id: number;
  n: number;
  /** Launch order inside the round. */
  position: number;
  user_1: number | null;
  user_2: number | null;
  winner: number | null;
  score_winner: number | null;
  score_looser: number | null;
  finish_reason: string | null;
  match_id: number | null;
  match_code: string | null;
  launched: Generated<number>;
  finished: Generated<number>;
}

/** A finished match's replay recording (docs/replays.md). */
export interface MatchReplaysTable {
  match_id: number;
  format: number;
  /** SQLite blob / PostgreSQL bytea. */
  recording: Uint8Array;
  created_at: string;
}

export interface PlayTournamentBansTable {
  tournament_id: number;
  user_id: number;
}

export interface Database {
  users: UsersTable;
  user_pictures: UserPicturesTable;
  presence: PresenceTable;
  friend_requests: FriendRequestsTable;
  friendships: FriendshipsTable;
  blocks: BlocksTable;
  user_stats: UserStatsTable;
  ranked_history: RankedHistoryTable;
  chats: ChatsTable;
  chat_messages: ChatMessagesTable;
  matches: MatchesTable;
  match_players: MatchPlayersTable;
  tournaments: TournamentsTable;
  tournament_stages: TournamentStagesTable;
  queue_entries: QueueEntriesTable;
  lobbies: LobbiesTable;
  lobby_members: LobbyMembersTable;
  lobby_bans: LobbyBansTable;
  play_bots: PlayBotsTable;
  nodes: NodesTable;
  live_rooms: LiveRoomsTable;
  play_tournaments: PlayTournamentsTable;
  play_tournament_stages: PlayTournamentStagesTable;
  play_tournament_records: PlayTournamentRecordsTable;
  play_bracket_matches: PlayBracketMatchesTable;
  play_tournament_bans: PlayTournamentBansTable;
  match_replays: MatchReplaysTable;
  [table: string]: any;
}
