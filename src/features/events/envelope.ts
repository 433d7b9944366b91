import { ApiError } from '../../platform/http/errors.js';
import { EVENTS, type EventCode, type Target } from './catalogue.js';

/** What a stream receives for one event, `kwargs` included (see docs/events.md, Wire format). */
export interface Envelope {
  service: string;
  event_code: EventCode;
  type: string;
  message: string;
  target: Target[] | null;
  data: unknown;
  kwargs: Record<string, unknown> | null;
}

export type Kwargs = Record<string, unknown>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** kwargs that name a user: a number is a user id to be shown as that user's current name. */
export const USER_KWARGS = ['username', 'winner', 'looser'];
export const DELETED_USER_NAME = 'DeleteUser';

function text(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The user ids that kwargs refer to by number, to be resolved to names before building the message. */
export function userIdsInKwargs(kwargs: Kwargs | undefined | null): number[] {
  if (!kwargs) return [];
  return USER_KWARGS.map((key) => kwargs[key]).filter((v): v is number => typeof v === 'number');
}

export function buildEnvelope(code: EventCode, data: unknown, kwargs: Kwargs | undefined | null, usernames: Map<number, string>): Envelope {
  const definition = EVENTS[code];
  let message = definition.template ?? '';
  if (definition.template && kwargs) {
    for (const [, name] of definition.template.matchAll(PLACEHOLDER)) {
      if (!(name in kwargs)) throw new ApiError(400, { kwargs: { [name]: 'Missing required kwargs.' } });
    }
    message = definition.template.replace(PLACEHOLDER, (_, name: string) => {
      const value = kwargs[name];
      // A user id shows as that user's name; an unknown id or null (e.g. a tournament match without winner) as DeleteUser.
      if (USER_KWARGS.includes(name) && typeof value === 'number') return usernames.get(value) ?? DELETED_USER_NAME;
      if (USER_KWARGS.includes(name) && value === null) return DELETED_USER_NAME;
      return text(value);
    });
  }
  const payload = data ?? {};
  let target: Target[] | null = null;
  if (definition.targets) {
    target = definition.targets.map((t) => ({
      ...t,
      url: t.url.replace(PLACEHOLDER, (_, key: string) => {
        const record = payload as Record<string, unknown>;
        if (typeof record !== 'object' || record === null || !(key in record)) {
          throw new ApiError(400, { data: { [key]: 'Missing required data.' } });
        }
        return text(record[key]);
      }),
    }));
  }
  return { service: definition.service, event_code: code, type: definition.type, message, target, data: payload, kwargs: kwargs ?? null };
}

/** The exact bytes written on the stream for one event. */
export function frameOf(envelope: Envelope): string {
  return `event: ${envelope.event_code}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

export const PING_FRAME = frameOf({
  service: 'auth', event_code: 'ping', type: 'event', message: '', target: null, data: 'PING', kwargs: null,
});
