import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, Detail, FieldErrorMap, NullableObject } from '../../platform/http/schemas.js';
import { fieldErrorsFromAjv, type AjvError } from '../../platform/http/validation.js';
import { ApiError, notFound } from '../../platform/http/errors.js';
import { EVENT_CODES } from '../events/catalogue.js';
import type { EventsService, PublishRequest } from '../events/service.js';

const PublishBody = Type.Object({
  users_id: Type.Array(Type.Integer()),
  event_code: Type.Unsafe<string>({ type: 'string', maxLength: 50, enum: EVENT_CODES, 'x-choice-message': 'Invalid event code.' }),
  data: Type.Optional(NullableObject),
  kwargs: Type.Optional(NullableObject),
});

/** The private endpoints of the platform layer, served on the loopback-only internal port. */
export function internalPlatformRoutes(deps: { events: EventsService }) {
  return async function routes(app: FastifyInstance) {
    const tags = ['internal'];

    const publish = {
      attachValidation: true,
      schema: { tags, summary: 'Publish an SSE event (see docs/events.md)', body: PublishBody, response: { 201: PublishBody, 400: FieldErrorMap, 404: Detail } },
    };
    const publishHandler = async (request: any, reply: any) => {
      const body = request.body as Record<string, unknown>;
      // An empty recipient list is "nobody to notify", whatever else is wrong: it is checked first.
      if (Array.isArray(body.users_id) && body.users_id.length === 0) throw notFound('Users not found.');
      const error = request.validationError as { validation?: AjvError[] } | undefined;
      if (error?.validation) throw new ApiError(400, fieldErrorsFromAjv(error.validation));
      return reply.status(201).send(await deps.events.publishChecked(body as unknown as PublishRequest));
    };
    app.post('/api/private/users/events/', publish, publishHandler);
    app.post('/api/private/users/', publish, publishHandler);

    app.get('/api/private/auth/verify/', {
      config: { auth: 'required' },
      schema: {
        tags, summary: 'The user behind a bearer token',
        response: { 200: Type.Object({ id: Type.Integer(), username: Type.String(), is_guest: Type.Boolean() }), 401: AuthError },
      },
    }, async (request) => {
      const user = callerOf(request);
      return { id: user.id, username: user.username, is_guest: user.is_guest === 1 };
    });
  };
}
