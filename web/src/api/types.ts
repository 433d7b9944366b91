/** The shapes of the public API the client reads (the OpenAPI document at `/api/docs`, docs/api.md, docs/events.md). */
export interface SmallPicture {
  id: number;
  name: string;
  small: string;
  medium: string;
  large?: string;
}

export interface SmallUser {
  id: number;
  username: string;
  profile_picture: SmallPicture;
}

export type ChatPolicy = 'none' | 'friends_only' | 'everyone';

export interface Me extends SmallUser {
  is_guest: boolean;
  created_at: string;
  accept_friend_request: boolean;
  accept_chat_from: ChatPolicy;
  trophies: number;
  notifications: { friend_requests: number; chats: number };
  is_online: boolean;
  last_online: string | null;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Picture {
  id: number;
  name: string;
  unlock: boolean;
  is_equiped: boolean;
  unlock_reason: string;
  url: string;
  small: string;
  medium: string;
  large: string;
}

export interface Friendship {
  id: number;
  friend: SmallUser & { is_online?: boolean; game_playing?: string | null; status?: { is_online: boolean; game_playing: string | null } };
  friend_wins: number;
  me_wins: number;
  friends_since: string;
  matches_played_against: number;
  matches_played_together: number;
  matches_won_together: number;
}

export interface FriendRequest {
  id: number;
  sender: SmallUser;
  receiver: SmallUser;
  send_at: string;
}

export interface BlockEntry {
  id: number;
  blocked: SmallUser;
  blocked_at: string;
}

export interface ChatMessage {
  id: number;
  chat_id: number;
  author: SmallUser | number;
  content: string;
  sent_at: string;
  is_read: boolean;
}

export interface Chat {
  id: number;
  chat_with: SmallUser;
  last_message: ChatMessage | null;
  created_at: string;
  view_chat: boolean;
  unread_messages?: number;
}

export interface StatsRow {
  id?: number;
  game_mode: 'global' | 'duel' | 'clash' | 'ranked' | 'tournament';
  game_played: number;
  wins: number;
  scored: number;
  longest_win_streak: number;
  current_win_streak: number;
  own_goals?: number;
  tournament_wins?: number;
}

export interface RankedEntry {
  id: number;
  trophies: number;
  total_trophies: number;
  at: string;
}

export type TeamLetter = 'a' | 'b';

export interface MatchPlayer {
  id: number;
  username?: string;
  profile_picture?: SmallPicture;
  score: number;
  trophies?: number;
  own_goal?: number;
}

export interface MatchObject {
  id: number;
  code?: string;
  game_mode: 'duel' | 'ranked' | 'tournament' | 'clash' | 'custom_game';
  match_type: '1v1' | '3v3';
  created_at: string;
  game_duration: string | null;
  tournament_id?: number | null;
  finished: boolean;
  winner: TeamLetter | null;
  looser: TeamLetter | null;
  teams: Record<TeamLetter, { score: number; players: MatchPlayer[] }>;
  finish_reason?: string | null;
  /** The player whose absence ended the match: the result is then recorded 3–0. */
  forfeited_by?: number | null;
  /** Goals really scored on the field; differs from the team scores only after a forfeit. */
  field_score?: Record<TeamLetter, number>;
}

export interface HistoryBracketEntry {
  id: number;
  n: number;
  /** `score` here is the lead player's own goals, not the match's result. */
  winner: MatchPlayer | null;
  looser: MatchPlayer | null;
  score_winner?: number | null;
  score_looser?: number | null;
  forfeited_by?: number | null;
  finish_reason: string | null;
}

export interface HistoryTournament {
  id: number;
  name: string;
  size: number;
  matches: Record<string, HistoryBracketEntry[]>;
}

export type LobbyTeam = 'Team A' | 'Team B' | 'Spectator';

export interface LobbyMember extends SmallUser {
  creator: boolean;
  join_at: string;
  is_ready: boolean;
  team?: string;
}

export interface Lobby {
  id: number;
  code: string;
  game_mode: 'clash' | 'custom_game';
  match_type: '1v1' | '3v3';
  max_participants: number;
  is_ready: boolean;
  game_playing: string | null;
  created_at: string;
  participants: LobbyMember[];
}

export interface BracketPlayer extends SmallUser {
  creator?: boolean;
  seed?: number | null;
  still_in?: boolean;
}

export interface BracketMatch {
  id: number;
  n: number;
  match_code: string | null;
  winner?: number | null;
  score_winner: number | null;
  score_looser: number | null;
  finish_reason: string | null;
  finished: boolean;
  user_1: BracketPlayer | null;
  user_2: BracketPlayer | null;
}

export interface TournamentMember extends SmallUser {
  creator: boolean;
  join_at: string;
}

export interface Tournament {
  id: number;
  code: string;
  name: string;
  size: number;
  private: boolean;
  is_started?: boolean;
  started?: boolean;
  start_at: string | null;
  created_at: string;
  created_by: number;
  participants?: TournamentMember[];
  matches?: Record<string, BracketMatch[]> | null;
}

export interface TournamentSearchItem {
  id?: number;
  name: string;
  code: string;
  private: boolean;
  n_participants: number;
  size: number;
  created_by: string | number;
}

export interface Target {
  url: string;
  type: 'url' | 'api' | 'websocket';
  method: string | null;
  display_name: string | null;
  display_icon: string | null;
}

/** The SSE envelope (docs/events.md, Wire format). */
export interface LiveEvent<D = any> {
  service: string;
  event_code: string;
  type: 'event' | 'notification';
  message: string | null;
  target: Target[] | null;
  data: D;
}
