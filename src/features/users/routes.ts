import type { FastifyInstance } from 'fastify';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer } from '../../platform/http/schemas.js';
import { Me } from './schemas.js';
import type { UsersService } from './service.js';

export function usersRoutes(users: UsersService) {
  return async function routes(app: FastifyInstance) {
    const tags = ['users'];

    app.get('/api/users/me/', {
      config: { auth: 'required' },
      schema: { tags, summary: "The caller's own profile", security: bearer, response: { 200: Me, 401: AuthError } },
    }, async (request) => users.me(callerOf(request)));
  };
}
