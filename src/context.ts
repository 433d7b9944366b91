import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createBus, type EventBus } from './platform/bus/index.js';
import { systemClock, type Clock } from './platform/clock.js';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Db } from './platform/db/database.js';
import { AuthRepo } from './features/auth/repo.js';
import { AuthService } from './features/auth/service.js';
import { TokenService } from './features/auth/tokens.js';
import { Presence } from './features/events/presence.js';
import { EventsService } from './features/events/service.js';
import { StreamGrace } from './features/events/stream-grace.js';
import { StreamHub } from './features/events/stream-hub.js';
import { UsersRepo } from './features/users/repo.js';
import { UsersService } from './features/users/service.js';
import { UserLifecycle } from './features/users/lifecycle.js';
import { AccountService } from './features/users/account.js';
import { BlockingRepo } from './features/blocking/repo.js';
import { BlockingService } from './features/blocking/service.js';
import { FriendsRepo } from './features/friends/repo.js';
import { FriendsService } from './features/friends/service.js';
import { StatsRepo } from './features/stats/repo.js';
import { StatsService } from './features/stats/service.js';
import type { ChatService } from './features/chat/service.js';
import { createChat } from './features/chat/wiring.js';
import type { MatchesService } from './features/matches/service.js';
import { createMatches, playingMarkerOf } from './features/matches/wiring.js';
import { createGameRooms } from './features/game/wiring.js';
import type { ReplaysService } from './features/replays/service.js';
import { createReplays } from './features/replays/wiring.js';
import type { RoomRegistry } from './game/rooms/registry.js';
import { createPlay, type PlayFeature } from './features/play/wiring.js';
import type { TournamentBots } from './features/tournament/bots.js';
import type { TournamentService } from './features/tournament/service.js';
import { createTournaments } from './features/tournament/wiring.js';
import { userIdOfToken } from './game/bot/index.js';
import { MemoryEventLog, RedisEventLog } from './features/events/event-log.js';
import { RoomDirectory } from './features/game/directory.js';
import { SpectatorCounts } from './features/game/spectators.js';
import { ActivityChanges } from './features/activity/changes.js';
import { createActivity, cueOnNewMatch, type ActivityFeature } from './features/activity/wiring.js';
import { registerNodeMetrics, tickLatenessObserver } from './features/health/metrics.js';
import { NodeRegistry } from './platform/cluster/nodes.js';
import { createLeadership, type Leadership } from './platform/cluster/leadership.js';
import { MetricsRegistry } from './platform/metrics.js';

/** Every long-lived object of one node, built once and shared by the public and internal apps. */
export interface Platform {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
  db: Db;
  bus: EventBus;
  /** A plain Redis connection for shared counters (rate limits), when REDIS_URL is set. */
  redis: Redis | null;
  hub: StreamHub;
  presence: Presence;
  /** The closes of users' last streams, held back for a reload's new stream before Presence sees them. */
  streamGrace: StreamGrace;
  events: EventsService;
  users: UsersService;
  /** Hooks other features register on user events (deletion, block, rename, export). */
  lifecycle: UserLifecycle;
  tokens: TokenService;
  auth: AuthService;
  friends: FriendsService;
  blocking: BlockingService;
  stats: StatsService;
  /** The caller's account as a whole: profile update, deletion cascade, public view, data export. */
  account: AccountService;
  chat: ChatService;
  /** Matches and archived tournaments. */
  matches: MatchesService;
  /** The live game rooms of this node. */
  rooms: RoomRegistry;
  /** Replays of finished matches (docs/replays.md). */
  replays: ReplaysService;
  /** Queues, lobbies, their bots and the "one activity at a time" rule. */
  play: PlayFeature;
  /** Tournaments: their activity, bracket and stored deadlines. */
  tournaments: TournamentService;
  /** Computer players in tournaments' empty seats. */
  tournamentBots: TournamentBots;
  /** Prometheus registry of this node (`/metrics`); features add their gauges to it. */
  metrics: MetricsRegistry;
  /** The nodes sharing the database: heartbeat, addresses, clean-up after dead ones. */
  nodes: NodeRegistry;
  /** Which node referees each live match. */
  directory: RoomDirectory;
  /** The spectators of this node's rooms, written where every node reads them. */
  spectators: SpectatorCounts;
  /** The home page's figures: activity counts, live list, ladder, and their stream event. */
  activity: ActivityFeature;
  /**
   * Whether this node is the cluster leader: the jobs that run on one node
   * at a time (matchmaker, tournament deadlines) check it, or use
   * `leaderInterval` from platform/cluster/leadership.ts.
   */
  leadership: Leadership;
  /** `draining` is set on SIGTERM: readiness answers 503. */
  status: { draining: boolean };
  close(): Promise<void>;
}

export async function createPlatform(config: Config, options: { clock?: Clock } = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const database = openDatabase({
    databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteSynchronous: config.sqliteSynchronous,
    connectTimeoutMs: config.dbConnectTimeoutMs, queryTimeoutMs: config.dbQueryTimeoutMs,
  });
  const db = database.db;
  await migrateToLatest(db);

  const bus = await createBus(config.redisUrl, config.redisPrefix);
  // Made first: the features built below report their changes to it.
  const activityChanges = new ActivityChanges(bus, config.nodeId);
  const boardChanged = () => activityChanges.changed('board');
  const redis = config.redisUrl ? (await import('./platform/bus/redis.js')).resilientRedis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, keyPrefix: config.redisPrefix || undefined }) : null;
  redis?.on('error', () => {});

  const metrics = new MetricsRegistry();
  const status = { draining: false };
  const logOptions = { size: config.sseLogSize, ttlMs: config.sseLogTtlMs, userBytes: config.sseLogUserBytes, totalBytes: config.sseLogTotalBytes };
  const eventLog = redis ? new RedisEventLog(redis, logOptions, config.redisPrefix) : new MemoryEventLog(bus, logOptions, () => clock.now());
  const hub = new StreamHub(bus, clock, config.ssePingMs, eventLog, {
    size: config.sseLogSize,
    userBytes: config.sseLogUserBytes,
    // The memory log is written before the bus delivers: a window would only be a second copy of it.
    windowMs: redis ? Math.min(config.sseLogTtlMs, 60_000) : 0,
    windowTotalBytes: config.sseWindowTotalBytes,
    writeBudget: { perStreamBytes: config.sseStreamBufferBytes, totalBytes: config.sseStreamBufferTotalBytes },
  });
  const presence = new Presence(db, clock, config.nodeId);
  const streamGrace = new StreamGrace(presence, clock, config.streamGraceMs, (userId) => hub.localStreamCount(userId) > 0);
  hub.onPresence(streamGrace);
  await presence.reset(!config.redisUrl);
  const nodes = new NodeRegistry(db, clock, { nodeId: config.nodeId, heartbeatMs: config.nodeHeartbeatMs, ttlMs: config.nodeTtlMs });
  const directory = new RoomDirectory(db, clock, nodes);
  nodes.onDead(async (nodeIds) => {
    await presence.expireNodes(nodeIds);
    await directory.forgetNodes(nodeIds);
  });
  nodes.onRevived(() => void presence.restore(hub.localUserIds()));

  const events = new EventsService(db, hub);
  const lifecycle = new UserLifecycle();
  const users = new UsersService(new UsersRepo(db), events, clock);
  const tokens = new TokenService(config.jwtSecret, config.accessTokenTtlSeconds, config.refreshTokenTtlSeconds, () => clock.now());
  const auth = new AuthService(new AuthRepo(db), tokens, users, clock);
  const friends = new FriendsService(new FriendsRepo(db), users, events, clock);
  const blocking = new BlockingService(new BlockingRepo(db), users, friends, lifecycle, clock);
  const stats = new StatsService(new StatsRepo(db), users, friends, clock);
  const account = new AccountService(users, auth, friends, blocking, stats, lifecycle, events);
  const chat = createChat({
    db, clock, users, events, lifecycle, redis, messagesPer10Seconds: config.chatMessagesPer10Seconds,
    social: {
      findByUsername: (username) => users.findByUsername(username),
      areFriends: (a, b) => friends.areFriends(a, b),
      hasBlocked: (blocker, blocked) => blocking.hasBlocked(blocker, blocked),
      blockedEitherWay: (a, b) => blocking.blockedEitherWay(a, b),
    },
  });

  const matches = await createMatches({
    db, clock, users, events, lifecycle, playing: cueOnNewMatch(playingMarkerOf(users), boardChanged), sink: stats, singleNode: !config.redisUrl,
  });
  const replays = createReplays({ db, clock, users, lifecycle, matches });
  const rooms = await createGameRooms(clock, matches, { bus, directory, observeTick: tickLatenessObserver(metrics), onLiveChange: boardChanged }, config.replays ? replays : undefined);
  const spectators = new SpectatorCounts(directory, boardChanged);
  registerNodeMetrics(metrics, { hub, rooms, status, nodeId: config.nodeId });
  const leadership = createLeadership({ databaseUrl: config.databaseUrl, redis, bus, leaseMs: config.leaderLeaseMs });
  metrics.gauge('cluster_leader', '1 while this node is the cluster leader (matchmaker, deadlines).', () => (leadership.isLeader ? 1 : 0));
  const play = createPlay({
    db, clock, users, events, presence, lifecycle, matches, tokens,
    createBotAccount: async () => userIdOfToken((await auth.createGuest('Bot')).access),
    social: { areFriends: (a, b) => friends.areFriends(a, b), hasBlocked: (blocker, blocked) => blocking.hasBlocked(blocker, blocked) },
    cluster: { leadership, bus },
    rankedWindowGrowth: config.rankedWindowGrowth,
  });
  metrics.counter('play_matchmaker_passes_total', 'Matchmaker passes run by this node (the leader only).', () => play.queues.passes);

  const { tournaments, bots: tournamentBots } = createTournaments({
    db, clock, users, events, lifecycle, matches, stats, activities: play.activities, singleNode: !config.redisUrl, players: play.bots,
    social: { areFriends: (a, b) => friends.areFriends(a, b), hasBlocked: (blocker, blocked) => blocking.hasBlocked(blocker, blocked) },
  });

  const activity = createActivity({
    db, clock, changes: activityChanges, streams: hub,
    sources: { presence, auth, stats, tournaments, blocking, users, lifecycle, lobbies: play.lobbies },
  });

  // Every node hears who registered, changed trophies, name or picture, or was deleted: the lists' cached callers go.
  activityChanges.onChange((change) => {
    if (change.ladder) auth.forgetCallers(change.ladder);
  });

  await hub.start();
  await activity.start();
  // Leadership starts in startServer once the node listens (server.ts).
  // Last: the dead-node handlers may run now (a previous life of this node), with every offline listener wired.
  await nodes.register(config.nodeUrl ?? '');
  // Stored tournament deadlines are armed again, interrupted launches completed.
  await tournaments.resume();

  return {
    config, clock, database, db, bus, redis, hub, presence, streamGrace, events, users, lifecycle, tokens, auth, friends, blocking, stats, account, chat, matches, rooms, replays, play, tournaments, tournamentBots,
    metrics, nodes, directory, spectators, activity, leadership, status,
    async close() {
      await activity.stop();
      play.stop();
      tournaments.stop();
      // Handover: the lock or lease goes, the followers are told at once.
      await leadership.stop();
      await nodes.stop();
      rooms.disposeAll();
      streamGrace.stop();
      await hub.stop();
      await bus.close();
      redis?.disconnect();
      await database.close();
    },
  };
}
