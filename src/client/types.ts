/**
 * Named shapes of the public API, all derived from `api-types.ts` (generated from the server's own
 * route schemas by `npm run client:types`): a field the server adds or renames shows up here at once.
 */
import type { paths } from './api-types.js';

export type { paths } from './api-types.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type SuccessOf<R> = R extends { 200: infer S } ? JsonOf<S> : R extends { 201: infer S } ? JsonOf<S> : never;

/** The JSON body of a route's success answer (200 or 201). */
export type ResponseOf<P extends keyof paths, M extends Method> = paths[P][M] extends { responses: infer R } ? SuccessOf<R> : never;
/** The JSON body a route takes. */
export type BodyOf<P extends keyof paths, M extends Method> =
  paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** One item of a paginated list route. */
export type ItemOf<P extends keyof paths, M extends Method = 'get'> = ResponseOf<P, M> extends { results: Array<infer I> } ? I : never;

/** A paginated list (docs/api.md, Pagination). */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type Tokens = ResponseOf<'/api/auth/login/', 'post'>;
export type Me = ResponseOf<'/api/users/me/', 'get'>;
export type SmallUser = Pick<Me, 'id' | 'username' | 'profile_picture'>;
export type SmallPicture = Me['profile_picture'];
export type PublicUser = ResponseOf<'/api/users/{user_id}/', 'get'>;
export type Picture = ResponseOf<'/api/users/profile-pictures/', 'get'>[number];
export type StatsRow = ResponseOf<'/api/users/me/stats/', 'get'>[number];
export type RankedEntry = ItemOf<'/api/users/me/stats/ranked/'>;
export type Friendship = ItemOf<'/api/users/me/friends/'>;
export type FriendRequest = ItemOf<'/api/users/me/friend_requests/'>;
export type BlockEntry = ItemOf<'/api/users/me/blocked/'>;
export type Chat = ItemOf<'/api/chat/'>;
export type ChatMessage = ItemOf<'/api/chat/{chat_id}/messages/'>;
export type MatchObject = ItemOf<'/api/game/matches/{user_id}/'>;
export type MatchPlayer = MatchObject['teams']['a']['players'][number];
export type HistoryTournament = ResponseOf<'/api/game/tournaments/{tournament_id}/', 'get'>;
export type Lobby = ResponseOf<'/api/play/lobby/', 'get'>;
export type LobbyMember = Lobby['participants'][number];
export type Tournament = ResponseOf<'/api/play/tournament/', 'get'>;
export type TournamentMember = NonNullable<Tournament['participants']>[number];
export type BracketMatch = NonNullable<Tournament['matches']>[string][number];
export type BracketPlayer = NonNullable<BracketMatch['user_1']>;
export type HistoryBracketEntry = HistoryTournament['matches'][string][number];
export type TournamentSearchItem = ItemOf<'/api/play/tournament/search/'>;
export type TeamLetter = 'a' | 'b';
