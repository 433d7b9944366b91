import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap, StringEnum } from '../../platform/http/schemas.js';
import { fieldErrorsFromAjv, type AjvError } from '../../platform/http/validation.js';
import { PASSWORD_MAX, USERNAME_MAX } from '../auth/messages.js';
import type { AccountService, ProfileChange } from './account.js';
import { ACCEPT_CHAT_FROM, UserMessages } from './messages.js';
import { pictureFile } from './picture-assets.js';
import { DataExport, idParam, Me, NumericIdParam, ProfilePicture, PublicUser } from './schemas.js';
import type { UsersService } from './service.js';

const fields = {
  username: Type.String({ minLength: 1, maxLength: USERNAME_MAX }),
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
  old_password: Type.String({ maxLength: PASSWORD_MAX }),
  accept_friend_request: Type.Boolean(),
  accept_chat_from: StringEnum(ACCEPT_CHAT_FROM, UserMessages.chatChoice),
};

/** PATCH: every field optional. */
const ProfilePatch = Type.Object({
  username: Type.Optional(fields.username),
  password: Type.Optional(fields.password),
  old_password: Type.Optional(fields.old_password),
  accept_friend_request: Type.Optional(fields.accept_friend_request),
  accept_chat_from: Type.Optional(fields.accept_chat_from),
});

/** PUT: a full update. */
const ProfilePut = Type.Object({
  username: fields.username,
  password: fields.password,
  old_password: fields.old_password,
  accept_friend_request: fields.accept_friend_request,
  accept_chat_from: Type.Optional(fields.accept_chat_from),
});

const DeleteBody = Type.Object({ password: Type.Optional(Type.String()) });

/** Field errors the route let through, to be reported with the rules checked in the service. */
function fieldErrorsOf(request: FastifyRequest): Record<string, unknown> {
  const error = request.validationError as unknown as { validation?: AjvError[] } | undefined;
  return error?.validation ? fieldErrorsFromAjv(error.validation) : {};
}

/** `/api/users/me/`, `/api/users/<id>/`, profile pictures and their images, the data download. */
export function usersRoutes(users: UsersService, account: AccountService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['users'];

    app.get('/api/users/me/', {
      config: { auth: 'required', withNotifications: true },
      schema: { tags, summary: "The caller's own profile", security: bearer, response: { 200: Me, 401: AuthError } },
    }, async (request) => users.me(callerOf(request)));

    const update = (body: typeof ProfilePatch | typeof ProfilePut, summary: string) => ({
      attachValidation: true,
      config: { auth: 'required' as const },
      schema: { tags, summary, security: bearer, body, response: { 200: Me, 400: FieldErrorMap, 401: AuthError, 403: Detail } },
    });
    const updateHandler = async (request: FastifyRequest) =>
      account.updateMe(callerOf(request), request.body as ProfileChange, fieldErrorsOf(request));
    app.patch('/api/users/me/', update(ProfilePatch, 'Update the caller (username, password, settings)'), updateHandler);
    app.put('/api/users/me/', update(ProfilePut, 'Update the caller (full update)'), updateHandler);

    app.delete('/api/users/me/', {
      config: { auth: 'required', guests: false },
      schema: {
        tags, summary: 'Delete the account (password confirmation)', security: bearer, body: DeleteBody,
        response: { 204: Type.Null(), 400: FieldErrorMap, 401: AuthError, 403: Detail },
      },
    }, async (request, reply) => {
      await account.deleteMe(callerOf(request), (request.body as { password?: string } | undefined)?.password);
      return reply.status(204).send();
    });

    app.get('/api/users/me/download-data/', {
      config: { auth: 'required', guests: false },
      schema: { tags, summary: "Download the caller's data as a JSON file", security: bearer, response: { 200: DataExport, 401: AuthError, 403: Detail } },
    }, async (request, reply) => {
      const caller = callerOf(request);
      const data = await account.exportData(caller);
      return reply.header('content-disposition', `attachment; filename="user_${caller.id}_data.json"`).send(data);
    });

    app.get('/api/users/profile-pictures/', {
      config: { auth: 'required' },
      schema: { tags, summary: "The caller's 23 profile pictures", security: bearer, response: { 200: Type.Array(ProfilePicture), 401: AuthError } },
    }, async (request) => users.listPictures(callerOf(request).id));

    const equip = {
      config: { auth: 'required' as const },
      schema: {
        tags, summary: 'Equip an unlocked profile picture', security: bearer, params: NumericIdParam('id'),
        response: { 200: ProfilePicture, 401: AuthError, 403: Detail, 404: Detail },
      },
    };
    const equipHandler = async (request: FastifyRequest) => users.equipPicture(callerOf(request).id, idParam(request, 'id'));
    app.put('/api/users/profile-picture/:id/', equip, equipHandler);
    app.patch('/api/users/profile-picture/:id/', equip, equipHandler);

    app.get('/api/users/:user_id/', {
      config: { auth: 'required' },
      schema: { tags, summary: 'Another user', security: bearer, params: NumericIdParam('user_id'), response: { 200: PublicUser, 401: AuthError, 403: Detail, 404: Detail } },
    }, async (request) => account.publicUser(callerOf(request), idParam(request, 'user_id')));

    app.get('/assets/profile_pictures/:file', {
      schema: { tags, summary: 'A profile-picture image (PNG)', params: Type.Object({ file: Type.String() }) },
    }, async (request: FastifyRequest, reply: FastifyReply) => {
      const file = pictureFile((request.params as { file: string }).file);
      if (!file) return reply.status(404).send({ detail: 'Not found.' });
      return reply.type('image/png').header('cache-control', 'public, max-age=86400').send(await file);
    });
  };
}
