import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../platform/http/errors.js';
import { callerOf } from '../../platform/http/request-context.js';
import { AuthError, bearer, Detail, FieldErrorMap } from '../../platform/http/schemas.js';
import { fieldErrorsFromAjv, type AjvError } from '../../platform/http/validation.js';
import { PASSWORD_MAX, USERNAME_MAX } from './messages.js';
import type { AuthService, Credentials } from './service.js';
import { loginThrottled, type LoginGuard } from './login-guard.js';

const NewCredentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: USERNAME_MAX }),
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }),
});
const LoginBody = Type.Object({ username: Type.String({ minLength: 1 }), password: Type.String({ minLength: 1 }) });
const RefreshBody = Type.Object({ refresh: Type.String({ minLength: 1 }) });
const TokenPair = Type.Object({ access: Type.String(), refresh: Type.String() });

/** Field-level errors that the route let through so that they can be reported with the username rules. */
function fieldErrorsOf(request: FastifyRequest): Record<string, unknown> {
  const error = request.validationError as unknown as { validation?: AjvError[] } | undefined;
  return error?.validation ? fieldErrorsFromAjv(error.validation) : {};
}

export function authRoutes(auth: AuthService, guard?: LoginGuard) {
  return async function routes(app: FastifyInstance) {
    const tags = ['auth'];

    app.post('/api/auth/register/', {
      attachValidation: true,
      config: { bodyShape: 'non_field_errors', signupThrottle: true },
      schema: { tags, summary: 'Create an account', body: NewCredentials, response: { 201: TokenPair, 400: FieldErrorMap, 429: Detail } },
    }, async (request, reply) => {
      const tokens = await auth.register(request.body as Credentials, fieldErrorsOf(request));
      return reply.status(201).send(tokens);
    });

    app.post('/api/auth/guest/', {
      config: { signupThrottle: true },
      schema: { tags, summary: 'Create a guest account', response: { 201: TokenPair, 429: Detail } },
    }, async (_request, reply) => reply.status(201).send(await auth.createGuest()));

    const registerGuest = {
      attachValidation: true,
      config: { auth: 'required' as const, bodyShape: 'non_field_errors' as const },
      schema: {
        tags, summary: 'Turn the calling guest into a registered account', security: bearer,
        body: NewCredentials, response: { 200: TokenPair, 400: FieldErrorMap, 401: AuthError, 403: Detail },
      },
    };
    const registerGuestHandler = async (request: FastifyRequest) =>
      auth.registerGuest(callerOf(request), request.body as Credentials, fieldErrorsOf(request));
    app.put('/api/auth/register/guest/', registerGuest, registerGuestHandler);
    app.patch('/api/auth/register/guest/', registerGuest, registerGuestHandler);

    app.post('/api/auth/login/', {
      config: { bodyShape: 'non_field_errors', noTrim: ['password'], loginThrottle: true },
      schema: { tags, summary: 'Log in', body: LoginBody, response: { 200: TokenPair, 400: FieldErrorMap, 401: Detail, 429: Detail } },
    }, async (request) => {
      const credentials = request.body as Credentials;
      if (!guard) return auth.login(credentials);
      // Failures per account slow further attempts on it down (login-guard.ts), before the password is hashed.
      const attempt = await guard.attempt(credentials.username, request.ip);
      if (attempt.throttled) throw loginThrottled(attempt.retryAfterMs);
      try {
        const tokens = await auth.login(credentials);
        await attempt.succeeded();
        return tokens;
      } catch (error) {
        if (!(error instanceof ApiError && error.statusCode === 401)) await attempt.cancel();
        throw error;
      }
    });

    app.post('/api/auth/refresh/', {
      config: { bodyShape: 'non_field_errors' },
      schema: { tags, summary: 'Get a new access token', body: RefreshBody, response: { 200: Type.Object({ access: Type.String() }), 401: AuthError } },
    }, async (request) => auth.refresh((request.body as { refresh: string }).refresh));
  };
}
