import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { EventsService } from '../events/service.js';
import type { UserLifecycle } from '../users/lifecycle.js';
import type { UsersService } from '../users/service.js';
import type { ChatSocialFacts } from './policy.js';
import { MessageFloodGuard } from './flood.js';
import { ChatRepo } from './repo.js';
import { ChatService } from './service.js';

/**
 * Builds the chat service and hooks it into the users feature: Me's
 * `notifications.chats`, the `chat_data` export section and the
 * removal of the user's chats when the account is deleted; a flood guard
 * limits how fast one author posts in one chat.
 * Blocking needs no hook: a chat is blocked while the social facts say so.
 */
export function createChat(deps: {
  db: Db;
  clock: Clock;
  users: UsersService;
  events: EventsService;
  lifecycle: UserLifecycle;
  social: ChatSocialFacts;
  redis: Redis | null;
  /** Messages one author may post in one chat per 10 s (docs/api.md, Throttling). */
  messagesPer10Seconds: number;
}): ChatService {
  const flood = new MessageFloodGuard({ perWindow: deps.messagesPer10Seconds, clock: deps.clock, redis: deps.redis });
  const chat = new ChatService(new ChatRepo(deps.db), deps.social, deps.users, deps.events, deps.clock, flood);
  deps.users.registerNotificationCounter('chats', ChatRepo.unreadCounter);
  deps.lifecycle.onDeleteRows((trx, userId) => chat.deleteUserRows(trx, userId));
  deps.lifecycle.registerExportSection('chat_data', (userId) => chat.exportFor(userId));
  return chat;
}
