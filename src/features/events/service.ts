import type { Db } from '../../platform/db/database.js';
import { sql } from 'kysely';
import { idIn } from '../../platform/db/id-list.js';
import { dialectOf } from '../../platform/db/migrations/dialect.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { isEventCode, type EventCode } from './catalogue.js';
import { buildEnvelope, frameOf, userIdsInKwargs, type Kwargs } from './envelope.js';
import type { StreamHub } from './stream-hub.js';

export interface PublishRequest {
  users_id: number[];
  event_code: string;
  data?: Record<string, unknown> | null;
  kwargs?: Kwargs | null;
}

/**
 * The one way any feature reaches users' streams. `send` is the in-process
 * producer call; `publishChecked` applies the rules of the internal publish
 * endpoint (see docs/events.md, Injecting events: the private endpoint).
 */
export class EventsService {
  constructor(private readonly db: Db, private readonly hub: StreamHub) {}

  /** Names of the users that kwargs refer to by id; `known` (names the producer already holds) saves the read. */
  private async usernames(ids: number[], known?: Map<number, string>): Promise<Map<number, string>> {
    const names = new Map(known);
    const missing = ids.filter((id) => !names.has(id));
    if (missing.length === 0) return names;
    const rows = await this.db.selectFrom('users').select(['id', 'username']).where('id', 'in', missing).execute();
    for (const r of rows) names.set(r.id, r.username);
    return names;
  }

  /** Sends one event to every open stream of each addressee (offline users simply miss it). */
  async send(usersId: number[], code: EventCode, data?: unknown, kwargs?: Kwargs | null, knownNames?: Map<number, string>): Promise<void> {
    const to = [...new Set(usersId)];
    if (to.length === 0) return;
    const envelope = buildEnvelope(code, data, kwargs, await this.usernames(userIdsInKwargs(kwargs), knownNames));
    await this.hub.publish({ to, frame: frameOf(envelope), close: code === 'delete-user' });
  }

  /** Like `send`, but a producer's mistake must never break the action that triggered it. */
  async notify(usersId: number[], code: EventCode, data?: unknown, kwargs?: Kwargs | null, knownNames?: Map<number, string>): Promise<void> {
    try {
      await this.send(usersId, code, data, kwargs, knownNames);
    } catch {
      // Notifications are best effort once the write they describe has succeeded.
    }
  }

  /**
   * How many of `ids` are users, and which of them are offline: one row back however many ids
   * (an announcement to 10,000 online users reads a count, not 10,000 rows).
   */
  private async presenceOf(ids: number[]): Promise<{ existing: number; offline: Set<number> }> {
    // PostgreSQL hands back an int array, SQLite a JSON text.
    const offlineIds = dialectOf(this.db) === 'postgres'
      ? sql<number[] | string>`coalesce(array_agg(id) filter (where is_online = 0), '{}')`
      : sql<number[] | string>`json_group_array(id) filter (where is_online = 0)`;
    const row = await this.db.selectFrom('users')
      .select((eb) => [eb.fn.countAll<number>().as('existing'), offlineIds.as('offline')])
      .where(idIn(this.db, 'id', ids))
      .executeTakeFirstOrThrow();
    const offline: number[] = typeof row.offline === 'string' ? JSON.parse(row.offline) : row.offline;
    return { existing: Number(row.existing), offline: new Set(offline) };
  }

  async publishChecked(request: PublishRequest): Promise<PublishRequest> {
    const ids = [...new Set(request.users_id)];
    if (!isEventCode(request.event_code)) throw new ApiError(400, { event_code: ['Invalid event code.'] });
    const { existing, offline } = await this.presenceOf(ids);
    if (existing !== ids.length) throw notFound('User not found.');
    if (ids.length === 1 && offline.size === 1) throw notFound('User not found.');
    const to = offline.size > 0 ? ids.filter((id) => !offline.has(id)) : ids;
    if (to.length > 0) {
      const envelope = buildEnvelope(request.event_code, request.data, request.kwargs, await this.usernames(userIdsInKwargs(request.kwargs)));
      await this.hub.publish({ to, frame: frameOf(envelope), close: request.event_code === 'delete-user' });
    }
    const echo: PublishRequest = { users_id: ids, event_code: request.event_code };
    if ('data' in request) echo.data = request.data;
    if ('kwargs' in request) echo.kwargs = request.kwargs;
    return echo;
  }
}
