import type { Selectable } from 'kysely';
import type { UsersTable } from '../db/schema.js';
import type { BodyShapeRule } from './validation.js';

export type UserRow = Selectable<UsersTable>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'required': the caller must present a valid access token (default for /api/ routes is set per route). */
    auth?: 'required' | 'none';
    /** Accept `?token=` when no Authorization header is sent (SSE stream and game socket only). */
    queryToken?: boolean;
    /** 'required': the caller must hold an open SSE stream, else 401 `sse_connection_required` (play endpoints, checked before the guest rule). */
    sse?: 'required';
    /** false: guests get 403 "Guest users cannot perform this action.". */
    guests?: boolean;
    /** How a non-object JSON body is reported. */
    bodyShape?: BodyShapeRule;
    /** Body fields that keep their surrounding whitespace (login password). */
    noTrim?: string[];
    /** Load the counters of Me's `notifications` with the caller's row, in the same read. */
    withNotifications?: boolean;
    /** The caller's row may be this old (read on this node for an earlier request): read-only lists polled by many. */
    callerMaxAgeMs?: number;
    /** Counted against the stricter per-IP login limit. */
    loginThrottle?: boolean;
    /** Creates an account (registration, guest): counted per IP at the login limit's rate, apart from logins. */
    signupThrottle?: boolean;
  }
  interface FastifyRequest {
    user: UserRow | null;
  }
}

/** The authenticated caller of a route declared with `auth: 'required'`. */
export function callerOf(request: { user: UserRow | null }): UserRow {
  if (!request.user) throw new Error('route used callerOf() without auth: required');
  return request.user;
}
