import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createBus, type EventBus } from './platform/bus/index.js';
import { systemClock, type Clock } from './platform/clock.js';
import { migrateToLatest, openDatabase, type DatabaseHandle, type Db } from './platform/db/database.js';
import { AuthRepo } from './features/auth/repo.js';
import { AuthService } from './features/auth/service.js';
import { TokenService } from './features/auth/tokens.js';
import { Presence } from './features/events/presence.js';
import { EventsService } from './features/events/service.js';
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
import type { RoomRegistry } from './game/rooms/registry.js';

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
  /** Matches and archived tournaments (game.md §2–§5). */
  matches: MatchesService;
  /** The live game rooms of this node. */
  rooms: RoomRegistry;
  close(): Promise<void>;
}

export async function createPlatform(config: Config, options: { clock?: Clock } = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const db = database.db;
  await migrateToLatest(db);

  const bus = createBus(config.redisUrl);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  redis?.on('error', () => {});

  const hub = new StreamHub(bus, clock, config.ssePingMs);
  const presence = new Presence(db, clock, config.nodeId);
  hub.onPresence(presence);
  await presence.reset(!config.redisUrl);

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
    db, clock, users, events, lifecycle,
    social: {
      findByUsername: (username) => users.findByUsername(username),
      areFriends: (a, b) => friends.areFriends(a, b),
      hasBlocked: (blocker, blocked) => blocking.hasBlocked(blocker, blocked),
    },
  });

  const matches = await createMatches({
    db, clock, users, events, lifecycle, playing: playingMarkerOf(users), sink: stats, singleNode: !config.redisUrl,
  });
  const rooms = createGameRooms(clock, matches);

  await hub.start();

  return {
    config, clock, database, db, bus, redis, hub, presence, events, users, lifecycle, tokens, auth, friends, blocking, stats, account, chat, matches, rooms,
    async close() {
      rooms.disposeAll();
      await hub.stop();
      await bus.close();
      redis?.disconnect();
      await database.close();
    },
  };
}
