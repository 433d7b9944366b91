import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { paginate } from '../../platform/http/pagination.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, DateTime, Detail, FieldErrorMap, paged } from '../../platform/http/schemas.js';
import { SmallUser } from '../users/schemas.js';
import { CHAT_MESSAGE_MAX, CHAT_USERNAME_MAX } from './messages.js';
import type { ChatService, NewMessage, Pager } from './service.js';

const Message = Type.Object({
  id: Type.Integer(),
  chat_id: Type.Integer(),
  author: SmallUser,
  content: Type.String(),
  is_read: Type.Boolean(),
  sent_at: DateTime,
});

/** `chat_with`: the small user plus `status` (whether he is online now, and since when he was last seen). */
const ChatPartner = Type.Object({
  ...SmallUser.properties,
  status: Type.Object({ is_online: Type.Boolean(), last_online: Type.Union([DateTime, Type.Null()]) }),
});

const Chat = Type.Object({
  id: Type.Integer(),
  chat_with: ChatPartner,
  last_message: Type.Union([Message, Type.Null()]),
  created_at: DateTime,
  last_updated: DateTime,
  view_chat: Type.Boolean(),
  unread_messages: Type.Integer(),
});

/** A query parameter as it arrives: one string, or several when repeated (the last one counts). */
const QueryValue = Type.Unsafe<string | string[]>({ anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] });
const ListQuery = Type.Object({
  q: Type.Optional(QueryValue),
  limit: Type.Optional(QueryValue),
  offset: Type.Optional(QueryValue),
});

const NewChat = Type.Object({ username: Type.String({ minLength: 1, maxLength: CHAT_USERNAME_MAX }) });
const NewMessageBody = Type.Object({
  content: Type.String({ minLength: 1, maxLength: CHAT_MESSAGE_MAX, description: `the text, trimmed; 1-${CHAT_MESSAGE_MAX} characters` }),
  is_read: Type.Optional(Type.Boolean()),
});
/**
 * The chat id as the path carries it (Ajv does not coerce here): digits, or
 * the route answers 404; a number no chat can have is a 403 of the service.
 */
const ChatIdParam = Type.Object({ chat_id: Type.String({ pattern: '^[0-9]{1,30}$' }) });

const lastValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[value.length - 1] : value);
const chatIdOf = (request: FastifyRequest) => Number((request.params as { chat_id: string }).chat_id);
const pagerOf = (request: FastifyRequest): Pager => (count, fetch) => paginate(request, count, fetch);

const member = { auth: 'required' as const, guests: false };
const tags = ['chat'];

/** The public chat endpoints (`/api/chat/...`). */
export function chatRoutes(chat: ChatService) {
  return async function routes(app: FastifyInstance) {
    app.get('/api/chat/', {
      config: member,
      schema: {
        tags, summary: "The caller's chats, most recently updated first; `q` searches hidden ones too", security: bearer,
        querystring: ListQuery, response: { 200: paged(Chat), 401: AuthError, 403: Detail },
      },
    }, async (request) => {
      const caller = callerOf(request);
      const q = lastValue((request.query as { q?: string | string[] }).q);
      const entries = await chat.list(caller, q);
      const page = await pagerOf(request)(entries.length, async (limit, offset) => entries.slice(offset, offset + limit));
      return { ...page, results: await chat.present(caller, page.results) };
    });

    app.post('/api/chat/', {
      config: member,
      schema: {
        tags, summary: 'Open a chat with a user', security: bearer, body: NewChat,
        response: { 201: Chat, 400: FieldErrorMap, 401: AuthError, 403: Detail, 404: Detail, 409: Detail },
      },
    }, async (request, reply) => {
      const { username } = request.body as { username: string };
      return reply.status(201).send(await chat.create(callerOf(request), username));
    });

    app.get('/api/chat/:chat_id/', {
      config: member,
      schema: { tags, summary: 'One chat (shows it again in the list)', security: bearer, params: ChatIdParam, response: { 200: Chat, 401: AuthError, 403: Detail } },
    }, async (request) => chat.detail(callerOf(request), chatIdOf(request)));

    app.delete('/api/chat/:chat_id/', {
      config: member,
      schema: { tags, summary: 'Hide a chat for the caller', security: bearer, params: ChatIdParam, response: { 204: Type.Null(), 401: AuthError, 403: Detail } },
    }, async (request, reply) => {
      await chat.hide(callerOf(request), chatIdOf(request));
      return reply.status(204).send();
    });

    app.get('/api/chat/:chat_id/messages/', {
      config: member,
      schema: {
        tags, summary: 'Messages, newest first (marks the returned ones read)', security: bearer, params: ChatIdParam,
        response: { 200: paged(Message), 401: AuthError, 403: Detail },
      },
    }, async (request) => chat.messages(callerOf(request), chatIdOf(request), pagerOf(request)));

    app.post('/api/chat/:chat_id/messages/', {
      config: member,
      schema: {
        tags, summary: 'Post a message (the other participant gets receive-message); 429 past 10 messages in 10 s in one chat', security: bearer,
        params: ChatIdParam, body: NewMessageBody,
        response: { 201: Message, 400: FieldErrorMap, 401: AuthError, 403: Detail, 429: Detail },
      },
    }, async (request, reply) => {
      const message = await chat.post(callerOf(request), chatIdOf(request), request.body as NewMessage, { publish: true });
      return reply.status(201).send(message);
    });
  };
}

/** The private twin of message posting, on the internal app: the author's bearer token, no event. */
export function chatInternalRoutes(chat: ChatService) {
  return async function routes(app: FastifyInstance) {
    app.post('/api/private/chat/:chat_id/messages/', {
      config: { auth: 'required' },
      schema: {
        tags: ['internal'], summary: 'Post a message with the author\'s token, without sending an event',
        params: ChatIdParam, body: NewMessageBody,
        response: { 201: Message, 400: FieldErrorMap, 401: AuthError, 403: Detail, 429: Detail },
      },
    }, async (request, reply) => {
      const message = await chat.post(callerOf(request), chatIdOf(request), request.body as NewMessage, { publish: false });
      return reply.status(201).send(message);
    });
  };
}
