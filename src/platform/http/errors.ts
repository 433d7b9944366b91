/**
 * The error shapes of the API (see docs/api.md, Errors), thrown from
 * services and rendered by the error handler: `{"detail"}`,
 * `{"detail", "code"}` for 401s, and field maps.
 */
export type FieldErrors = Record<string, unknown>;

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.detail === 'string' ? body.detail : `HTTP ${statusCode}`);
  }
}

export const badRequest = (fields: FieldErrors) => new ApiError(400, fields);
export const badRequestDetail = (detail: string) => new ApiError(400, { detail });
export const forbidden = (detail: string) => new ApiError(403, { detail });
export const notFound = (detail = 'Not found.') => new ApiError(404, { detail });
export const conflict = (detail: string) => new ApiError(409, { detail });
export const methodNotAllowed = (method: string) => new ApiError(405, { detail: `Method "${method}" not allowed.` });
export const throttled = (detail = 'Request was throttled.') => new ApiError(429, { detail });
/** The 429 of a throttle whose budget comes back at a known time: `Retry-After` in whole seconds, at least 1. */
export const throttledFor = (retryAfterMs: number) =>
  new ApiError(429, { detail: 'Request was throttled.' }, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
export const serviceUnavailable = (service: string) =>
  new ApiError(503, { detail: `Failed to connect to ${service} service.` });

export const unauthorized = (detail: string, code: string) =>
  new ApiError(401, { detail, code }, { 'www-authenticate': 'Bearer realm="api"' });

/** Every 401 answer of the API, each with its `code` (see docs/api.md, Authentication). */
export const AuthFailures = {
  notAuthenticated: () => unauthorized('Authentication credentials were not provided.', 'not_authenticated'),
  authenticationFailed: () => unauthorized('Incorrect authentication credentials.', 'authentication_failed'),
  badHeader: () => unauthorized('Authorization header must contain two space-delimited values.', 'bad_authorization_header'),
  tokenNotValid: () => unauthorized('Given token not valid for any token type.', 'token_not_valid'),
  noUserClaim: () => unauthorized('Token contained no recognizable user identification.', 'token_not_valid'),
  userNotFound: () => unauthorized('User not found.', 'user_not_found'),
  incorrectPassword: () => unauthorized('Incorrect password.', 'incorrect_password'),
  passwordConfirmationRequired: () => unauthorized('Password confirmation is required.', 'password_confirmation_required'),
  sseConnectionRequired: () =>
    unauthorized('You need to be connected to SSE to access this resource.', 'sse_connection_required'),
} as const;
