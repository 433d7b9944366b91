/**
 * The 33 event codes (see docs/events.md, The catalogue) with their envelope
 * constants: the one table every producer and the stream read from.
 */
export interface Target {
  url: string;
  type: 'api' | 'url' | 'websocket';
  method: string | null;
  display_name: string | null;
  display_icon: string | null;
}

export interface EventDefinition {
  service: 'auth' | 'user' | 'chat' | 'friends' | 'game' | 'invite' | 'lobby' | 'tournament';
  type: 'event' | 'notification';
  template: string | null;
  targets: Target[] | null;
}

const target = (url: string, type: Target['type'], method: string | null, display_name: string | null, display_icon: string | null): Target =>
  ({ url, type, method, display_name, display_icon });

const T1 = [
  target('api/users/profile-picture/{id}/', 'api', 'PUT', 'use', null),
  target('/profile/pictures', 'api', 'PUT', 'see all', null),
];
const T2 = [
  target('api/users/me/friend_requests/{id}/', 'api', 'POST', null, '/assets//icon/accept.png'),
  target('api/users/me/friend_requests/{id}/', 'api', 'DELETE', null, '/assets//icon/decline.png'),
];
const T3 = [target('/ws/game/', 'websocket', null, null, null)];
const T4 = [target('/lobby/{code}', 'url', null, 'join', null)];
const T5 = [target('/tournament/{code}', 'url', null, 'join', null)];
const T6 = [target('/history/tournament/{id}', 'url', null, 'view', null)];

const event = (service: EventDefinition['service'], type: EventDefinition['type'], template: string | null, targets: Target[] | null = null): EventDefinition =>
  ({ service, type, template, targets });

export const EVENTS = {
  ping: event('auth', 'event', null),
  'delete-user': event('user', 'event', null),
  'profile-picture-unlocked': event('user', 'notification', 'You have unlocked new profile pictures!', T1),
  'receive-message': event('chat', 'event', '{username}: {message}'),
  'accept-friend-request': event('friends', 'notification', '{username} has accepted your friend request.'),
  'receive-friend-request': event('friends', 'notification', '{username} wants to be friends with you.', T2),
  'reject-friend-request': event('friends', 'event', null),
  'cancel-friend-request': event('friends', 'event', null),
  'delete-friend': event('friends', 'event', null),
  'game-start': event('game', 'event', 'You play in a game.', T3),
  'activity-update': event('game', 'event', null),
  'invite-1v1': event('invite', 'notification', '{username} has challenged you to a game.', T4),
  'invite-3v3': event('invite', 'notification', '{username} inviting you to join an epic 3v3 friendly battle.', T4),
  'invite-clash': event('invite', 'notification', '{username} inviting you to join a clash game.', T4),
  'invite-tournament': event('invite', 'notification', '{username} inviting you to join his tournament.', T5),
  'lobby-join': event('lobby', 'event', '{username} have joined the lobby.'),
  'lobby-leave': event('lobby', 'event', '{username} have left the lobby.'),
  'lobby-banned': event('lobby', 'event', 'You have been banned from this lobby.'),
  'lobby-message': event('lobby', 'event', '{username}: {message}'),
  'lobby-update': event('lobby', 'event', null),
  'lobby-update-participant': event('lobby', 'event', null),
  'lobby-spectate-game': event('lobby', 'event', null),
  'lobby-destroy': event('lobby', 'event', 'The lobby has been destroyed.'),
  'tournament-join': event('tournament', 'event', '{username} have joined the tournament.'),
  'tournament-leave': event('tournament', 'event', '{username} have left the tournament.'),
  'tournament-banned': event('tournament', 'event', 'You have been banned from this tournament.'),
  'tournament-message': event('tournament', 'event', '{username}: {message}'),
  'tournament-start': event('tournament', 'event', 'Tournament {name} start in 3 seconds.'),
  'tournament-start-at': event('tournament', 'event', 'Tournament {name} start in 20 seconds.'),
  'tournament-start-cancel': event('tournament', 'event', null),
  'tournament-match-finish': event('tournament', 'event', '{winner} win against {looser} {score_winner}-{score_looser}{finish_reason}.'),
  'tournament-available-spectate-matches': event('tournament', 'event', null),
  'tournament-finish': event('tournament', 'notification', 'The tournament {name} is now over. Well done to {username} for his victory!', T6),
} as const satisfies Record<string, EventDefinition>;

export type EventCode = keyof typeof EVENTS;

export const EVENT_CODES = Object.keys(EVENTS) as EventCode[];

export function isEventCode(code: string): code is EventCode {
  return Object.prototype.hasOwnProperty.call(EVENTS, code);
}
