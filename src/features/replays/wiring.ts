import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { UserLifecycle } from '../users/lifecycle.js';
import type { UsersService } from '../users/service.js';
import { ReplaysRepo } from './repo.js';
import { ReplaysService, type ReplayMatches } from './service.js';

/**
 * Builds the replays service and hooks it into the users feature: the
 * export's `game_data.replays`. Deletion needs no hook: a replay follows its
 * match (the foreign key), and an account's deletion keeps its matches.
 */
export function createReplays(deps: { db: Db; clock: Clock; users: UsersService; lifecycle: UserLifecycle; matches: ReplayMatches }): ReplaysService {
  const cards = async (ids: number[]) => {
    const rows = await deps.users.findManyByIds(ids);
    return new Map(rows.map((row) => [row.id, deps.users.smallUser(row)]));
  };
  const replays = new ReplaysService(new ReplaysRepo(deps.db), deps.matches, cards, deps.clock);
  deps.lifecycle.extendExportSection('game_data', async (userId) => ({ replays: await replays.exportOf(userId) }));
  return replays;
}
