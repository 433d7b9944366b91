import { rankedWindowOf } from './matchmaker.js';
import type { EventBus } from '../../platform/bus/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Leadership } from '../../platform/cluster/leadership.js';
import type { Db } from '../../platform/db/database.js';
import type { TokenService } from '../auth/tokens.js';
import type { Presence } from '../events/presence.js';
import type { EventsService } from '../events/service.js';
import type { MatchesService } from '../matches/service.js';
import type { UserLifecycle } from '../users/lifecycle.js';
import type { UsersService } from '../users/service.js';
import { ComputerPlayers } from '../computer/players.js';
import { ComputerRepo } from '../computer/repo.js';
import { ComputerGames } from '../computer/service.js';
import { LobbyRepo } from '../lobby/repo.js';
import { LobbyService } from '../lobby/service.js';
import { Activities } from './activity.js';
import { QueueRepo } from './repo.js';
import { QueueService } from './service.js';

/** A follower that took a queue entry asks the leader for a matchmaker pass. */
export const MATCHMAKER_KICK_CHANNEL = 'play:matchmaker-kick';

/** Queues, lobbies, games against the computer and the "one activity at a time" rule of one node. */
export interface PlayFeature {
  /** The "one activity at a time" check and the drop of a user; the tournament feature registers its activity here. */
  activities: Activities;
  queues: QueueService;
  lobbies: LobbyService;
  /** The computer players of this node: the accounts they use, the players running here. */
  bots: ComputerPlayers;
  /** Games against the computer. */
  computer: ComputerGames;
  /** Stops the matchmaker timer and the bots of this node. */
  stop(): void;
}

/**
 * Builds the play feature and hooks it into the others: a user whose last
 * stream closes, or whose account is deleted, leaves his queue and lobby;
 * a block inside a lobby removes the blocked user when the blocker created
 * it, the blocker when the other did; a finished (or discarded)
 * clash/custom match frees its lobbies. The computer players (one pool for
 * lobbies, games against the computer and tournaments) are built here, and
 * a duel found for somebody playing the computer ends that game first.
 */
export function createPlay(deps: {
  db: Db;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  presence: Presence;
  lifecycle: UserLifecycle;
  matches: MatchesService;
  tokens: TokenService;
  createBotAccount(): Promise<number>;
  social: { areFriends(a: number, b: number): Promise<boolean>; hasBlocked(blocker: number, blocked: number): Promise<boolean> };
  /** Several nodes: the matchmaker runs on the leader; followers forward their kicks over the bus. */
  cluster?: { leadership: Leadership; bus: EventBus };
  /** Trophies per second the ranked window widens by (0: a fixed ±50). */
  rankedWindowGrowth?: number;
}): PlayFeature {
  const inGame = (userId: number) => deps.matches.isInGame(userId);
  const activities = new Activities(inGame);
  const createMatch = (input: Parameters<MatchesService['createMatch']>[0]) => deps.matches.createMatch(input);
  const cluster = deps.cluster;
  const bots = new ComputerPlayers({
    repo: new ComputerRepo(deps.db), users: deps.users, clock: deps.clock,
    createAccount: deps.createBotAccount,
    accessToken: (userId) => deps.tokens.access(userId),
  });
  const computer = new ComputerGames({ players: bots, activities, matches: deps.matches });
  const queues = new QueueService({
    repo: new QueueRepo(deps.db), clock: deps.clock, activities, createMatch,
    leadership: cluster?.leadership,
    rankedWindow: rankedWindowOf(deps.rankedWindowGrowth ?? 0),
    askLeader: cluster ? () => void cluster.bus.publish(MATCHMAKER_KICK_CHANNEL, '1').catch(() => {}) : undefined,
    makeWayFor: (userIds) => computer.makeWayFor(userIds),
  });
  // The subscription lives as long as the bus; the leader's next tick covers a kick lost meanwhile.
  if (cluster) void cluster.bus.subscribe(MATCHMAKER_KICK_CHANNEL, () => { if (queues.isLeader) queues.kick(); }).catch(() => {});
  const lobbyRepo = new LobbyRepo(deps.db);
  const lobbies = new LobbyService({
    repo: lobbyRepo, clock: deps.clock, users: deps.users, events: deps.events, activities, social: deps.social, createMatch, bots,
  });
  activities.register(queues);
  activities.register(lobbies);

  deps.presence.onOffline((userId) => activities.drop(userId, 'offline'));
  deps.lifecycle.onAccountDeleted((userId) => activities.drop(userId, 'deleted'));
  deps.lifecycle.onBlocked((blocker, blocked) => lobbies.userBlocked(blocker, blocked));
  deps.matches.setLobbyListener({ matchFinished: (match) => lobbies.matchEnded(match) });
  queues.start();

  return {
    activities, queues, lobbies, bots, computer,
    stop() {
      queues.stop();
      bots.closeAll();
    },
  };
}
