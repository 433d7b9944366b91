import type { LiveEvent } from '../api/types';
import { shownName } from '../play/computer';

/**
 * The live events' `message` keeps the wording other clients of the API
 * match on; what a person reads in this client is written here, from the same
 * message. An unknown shape shows the message as it came.
 */
type Rewrite = [pattern: RegExp, text: (...parts: string[]) => string];

const FORFEIT_SUFFIXES: Record<string, (winner: string, loser: string) => string> = {
  ' (obviously the other player gave up the game)': (w, l) => `${l} left the game: ${w} goes through`,
  ' (yeah, there just was no game)': (w, l) => `${w} goes through: ${l} was not there`,
  ' (there was no game, so nobody won)': () => 'Nobody played this match',
  ' (obviously he played against nobody, not too complicated to win)': (w, l) => `${l} did not join the game: ${w} goes through`,
};

const REWRITES: Record<string, Rewrite> = {
  'lobby-join': [/^(.+) have joined the lobby\.$/, (name) => `${name} has joined the lobby.`],
  'lobby-leave': [/^(.+) have left the lobby\.$/, (name) => `${name} has left the lobby.`],
  'tournament-join': [/^(.+) have joined the tournament\.$/, (name) => `${name} has joined the tournament.`],
  'tournament-leave': [/^(.+) have left the tournament\.$/, (name) => `${name} has left the tournament.`],
  'tournament-start': [/^Tournament (.+) start in 3 seconds\.$/, (name) => `The tournament ${name} starts in 3 seconds.`],
  'tournament-start-at': [/^Tournament (.+) start in 20 seconds\.$/, (name) => `The tournament ${name} starts in 20 seconds.`],
  'tournament-finish': [
    /^The tournament (.+) is now over\. Well done to (.+) for his victory!$/,
    (name, winner) => `The tournament ${name} is over. Well done to ${winner} for their victory!`,
  ],
  'tournament-match-finish': [
    /^(\S+) win against (\S+) (\d+)-(\d+)(.*)\.$/,
    (winner, loser, sw, sl, suffix) => {
      const forfeit = FORFEIT_SUFFIXES[suffix];
      return forfeit ? `${forfeit(winner, loser)} (${sw}–${sl}).` : `${winner} beat ${loser} ${sw}–${sl}.`;
    },
  ],
  'invite-3v3': [/^(\S+) inviting you to join an epic 3v3 friendly battle\.$/, (name) => `${name} invites you to an epic 3v3 friendly battle.`],
  'invite-clash': [/^(\S+) inviting you to join a clash game\.$/, (name) => `${name} invites you to a clash game.`],
  'invite-tournament': [/^(\S+) inviting you to join his tournament\.$/, (name) => `${name} invites you to their tournament.`],
};

export function peopleText(event: Pick<LiveEvent, 'event_code' | 'message'>): string {
  const message = event.message ?? '';
  const rewrite = REWRITES[event.event_code];
  const parts = rewrite?.[0].exec(message);
  return rewrite && parts ? rewrite[1](...parts.slice(1).map(shownName)) : message;
}
