/**
 * What the social screens say (read by a person: sentences, no codes), and
 * the invitations' messages in the words of this client (the events'
 * `message` keeps the wording other clients match on: docs/events.md).
 */

export const SocialTexts = {
  loadingFriends: 'Loading your friends…',
  noFriends: 'No friends yet: press a to send a friend request.',
  noReceived: 'No request waiting for you.',
  noSent: 'No request sent.',
  noBlocked: 'Nobody is blocked.',
  loadingChats: 'Loading the conversations…',
  noChats: 'No conversation yet: press n to write to someone.',
  loadingMessages: 'Loading the conversation…',
  noMessages: 'No message yet: type one and press Enter.',
  emptyInbox: 'Nothing yet: invitations, friend requests and messages show up here.',
  guestsNoFriends: 'Guests have no friends list or chat: register the account first (menu: a, Account).',
  typeName: 'Type a username first.',
  typeMessage: 'Type a message first.',
  requestSent: (name: string) => `Friend request sent to ${name}.`,
  accepted: (name: string) => `You and ${name} are friends now.`,
  declined: (name: string) => `You declined ${name}'s friend request.`,
  cancelled: (name: string) => `Friend request to ${name} cancelled.`,
  removed: (name: string) => `${name} is no longer your friend.`,
  blocked: (name: string) => `You blocked ${name}.`,
  unblocked: (name: string) => `You unblocked ${name}.`,
  messageTooLong: (max: number) => `A message is at most ${max} characters.`,
  equipped: (name: string) => `Your picture is now ${name}.`,
  locked: (reason: string) => `This picture is locked: ${reason}`,
  registered: (name: string) => `Welcome, ${name}: this account is yours now (trophies, friends and chat).`,
  registerFirst: 'Type a username and a password first.',
  notGuest: 'This account is already registered.',
  invitationGone: 'This invitation was already answered.',
  answerInvitation: 'Ctrl+N: answer',
} as const;

type Rewrite = [RegExp, (...parts: string[]) => string];

/** The invitations' messages, reworded (docs/events.md, Invitations; as the web client does). */
const INVITE_REWRITES: Record<string, Rewrite> = {
  'invite-1v1': [/^(.+) has challenged you to a game\.$/, (name) => `${name} has challenged you to a game`],
  'invite-3v3': [/^(\S+) inviting you to join an epic 3v3 friendly battle\.$/, (name) => `${name} invites you to an epic 3v3 friendly battle`],
  'invite-clash': [/^(\S+) inviting you to join a clash game\.$/, (name) => `${name} invites you to a clash game`],
  'invite-tournament': [/^(\S+) inviting you to join his tournament\.$/, (name) => `${name} invites you to their tournament`],
};

/** `alice has challenged you to a game` (no full stop: the code follows). */
export function invitationText(event: string, message: string): string {
  const rewrite = INVITE_REWRITES[event];
  const parts = rewrite?.[0].exec(message);
  if (rewrite && parts) return rewrite[1](...parts.slice(1));
  return message.replace(/\.$/, '') || 'You are invited to a game';
}

/** "5s ago", "3m ago", "2h ago", "4d ago". */
export function ago(iso: string | number, now = Date.now()): string {
  const at = typeof iso === 'number' ? iso : Date.parse(iso);
  if (!Number.isFinite(at)) return '';
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `14:03` today, `12-05 14:03` before. */
export function clock(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === now.toDateString() ? time : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** The end screen's line after a ranked match: `Trophies: +12 (now 212)`; while the server records it, a wait. */
export function trophyText(change: { change: number | null; total: number | null } | null): string {
  if (!change) return 'Trophies: counting…';
  if (change.change === null) return 'Trophies: not known yet — see your profile (p).';
  const sign = change.change > 0 ? `+${change.change}` : change.change < 0 ? `−${-change.change}` : '±0';
  return `Trophies: ${sign}${change.total !== null ? ` (now ${change.total})` : ''}`;
}
