import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { EventsService } from '../events/service.js';
import type { MatchesService } from '../matches/service.js';
import type { Activities } from '../play/activity.js';
import type { UserLifecycle } from '../users/lifecycle.js';
import type { UsersService } from '../users/service.js';
import type { ComputerPlayers } from '../computer/players.js';
import { TournamentBots } from './bots.js';
import { TournamentRepo } from './repo.js';
import { TournamentService } from './service.js';

/**
 * Builds the tournament feature and hooks it into the others: its activity
 * in the "one activity at a time" rule (rank 10: its 409/403 come first;
 * a user whose last stream closes or whose account goes is dropped through
 * it), the block rule, and the results of tournament games. `resume()`
 * arms the stored deadlines once the node is up. Computer players seated in
 * a tournament are held by it: no other game takes their accounts meanwhile.
 */
export function createTournaments(deps: {
  db: Db;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  lifecycle: UserLifecycle;
  matches: MatchesService;
  activities: Activities;
  stats: { recordTournamentWin(winnerId: number): Promise<void> };
  social: { areFriends(a: number, b: number): Promise<boolean>; hasBlocked(blocker: number, blocked: number): Promise<boolean> };
  singleNode: boolean;
  /** The platform's computer players (play feature). */
  players: ComputerPlayers;
}): { tournaments: TournamentService; bots: TournamentBots } {
  const repo = new TournamentRepo(deps.db);
  const tournaments = new TournamentService({
    repo,
    clock: deps.clock,
    users: deps.users,
    events: deps.events,
    activities: deps.activities,
    social: deps.social,
    matches: {
      createMatch: (input) => deps.matches.createMatch(input),
      recordNotPlayed: (input) => deps.matches.recordNotPlayed(input),
      archiveTournament: (input) => deps.matches.archiveTournament(input),
      findMatch: (id) => deps.matches.findMatch(id),
    },
    stats: deps.stats,
    singleNode: deps.singleNode,
    players: deps.players,
  });
  const bots = new TournamentBots({ repo, tournaments, users: deps.users, players: deps.players });
  deps.players.addHolder((botIds) => repo.connectedAmong(botIds));
  deps.activities.register(tournaments);
  deps.lifecycle.onBlocked((blocker, blocked) => tournaments.userBlocked(blocker, blocked));
  deps.matches.setTournamentListener({ matchFinished: (match) => tournaments.matchFinished(match) });
  return { tournaments, bots };
}
