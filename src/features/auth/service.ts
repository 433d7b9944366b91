import { randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { isoAt } from '../../platform/clock.js';
import { ApiError, AuthFailures, badRequest, forbidden, unauthorized, type FieldErrors } from '../../platform/http/errors.js';
import type { UserRow } from '../../platform/http/request-context.js';
import type { AuthenticateOptions, Authenticator } from '../../platform/http/pipeline.js';
import type { UsersService } from '../users/service.js';
import { GUEST_PICTURE, REGISTER_PICTURE } from '../users/pictures.js';
import { AuthMessages } from './messages.js';
import { RecentCallers } from './recent-callers.js';
import { hashPassword, passwordMatches } from './passwords.js';
import { passwordRuleFailures } from './password-rules.js';
import type { AuthRepo } from './repo.js';
import type { TokenPair, TokenService } from './tokens.js';
import { usernameRuleFailure } from './username-rules.js';

export interface Credentials {
  username: string;
  password: string;
}

// Verifying against a real hash when the account does not exist keeps login timing from revealing usernames.
const DUMMY_HASH = hashPassword('timing-equaliser-never-a-password');

/** Accounts, credentials and tokens. */
export class AuthService implements Authenticator {
  private registeredListeners: Array<(userId: number) => void> = [];
  private readonly recentCallers: RecentCallers;

  constructor(
    private readonly repo: AuthRepo,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {
    this.recentCallers = new RecentCallers(clock);
  }

  private now(): string {
    return isoAt(this.clock.now());
  }

  /** Told once a registered account exists (a new one, or a guest who registered): the ladder. */
  onRegistered(listener: (userId: number) => void): void {
    this.registeredListeners.push(listener);
  }

  private registered(userId: number): void {
    this.recentCallers.forget(userId);
    for (const listener of this.registeredListeners) {
      try {
        listener(userId);
      } catch {
        // The account exists; a listener's failure changes nothing to it.
      }
    }
  }

  /** The username rules, then (when asked) case-insensitive uniqueness, on a username whose field checks passed; adds the first failure to `errors`. */
  private async checkUsername(username: string, errors: FieldErrors, uniqueness: { exceptUserId?: number } | false): Promise<void> {
    const failure = usernameRuleFailure(username);
    if (failure) {
      errors.username = [failure];
      return;
    }
    if (uniqueness && (await this.repo.usernameTaken(username, uniqueness.exceptUserId))) {
      errors.username = [AuthMessages.usernameExists];
    }
  }

  async register(input: Credentials, fieldErrors: FieldErrors): Promise<TokenPair> {
    const errors = { ...fieldErrors };
    if (!errors.username) await this.checkUsername(input.username, errors, {});
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const failures = passwordRuleFailures(input.password, input.username);
    if (failures.length > 0) throw badRequest({ password: failures });
    const passwordHash = await hashPassword(input.password);
    const now = this.now();
    const userId = await this.repo.transaction(async (trx) => {
      const id = await this.repo.insertAccount(trx, { username: input.username, passwordHash, isGuest: false, pictureId: REGISTER_PICTURE, now });
      await this.users.initProfile(trx, id, false, now);
      return id;
    });
    this.registered(userId);
    return this.tokens.pair(userId, 0);
  }

  /** A guest account (`Guest` + 6 digits); the computer players' bot accounts use the same kind of account under another prefix. */
  async createGuest(prefix = 'Guest'): Promise<TokenPair> {
    const now = this.now();
    for (let attempt = 0; ; attempt++) {
      const username = `${prefix}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
      if (await this.repo.usernameTaken(username)) continue;
      try {
        const userId = await this.repo.transaction(async (trx) => {
          const id = await this.repo.insertAccount(trx, { username, passwordHash: null, isGuest: true, pictureId: GUEST_PICTURE, now });
          await this.users.initProfile(trx, id, true, now);
          return id;
        });
        return this.tokens.pair(userId, 0);
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  }

  async registerGuest(caller: UserRow, input: Credentials, fieldErrors: FieldErrors): Promise<TokenPair> {
    if (caller.is_guest !== 1) throw forbidden(AuthMessages.mustBeGuest);
    const errors = { ...fieldErrors };
    if (!errors.username) {
      await this.checkUsername(input.username, errors, input.username === caller.username ? false : { exceptUserId: caller.id });
    }
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    const failures = passwordRuleFailures(input.password, input.username);
    if (failures.length > 0) throw badRequest({ password: failures });
    const passwordHash = await hashPassword(input.password);
    await this.repo.transaction((trx) =>
      this.repo.updateCredentials(trx, caller.id, { username: input.username, passwordHash, isGuest: false }),
    );
    this.registered(caller.id);
    await this.users.unlockPicture(caller.id, REGISTER_PICTURE);
    return this.tokens.pair(caller.id, caller.token_version);
  }

  async login(input: Credentials): Promise<TokenPair> {
    const user = await this.repo.findByUsername(input.username);
    const ok = await passwordMatches(user?.password_hash ?? (await DUMMY_HASH), input.password);
    if (!user || !ok || user.is_guest === 1) throw new ApiError(401, { detail: AuthMessages.noActiveAccount });
    return this.tokens.pair(user.id, user.token_version);
  }

  async refresh(refreshToken: string): Promise<{ access: string }> {
    const claims = this.tokens.verify(refreshToken);
    if (!claims) throw unauthorized(AuthMessages.refreshInvalid, 'token_not_valid');
    if (claims.token_type !== 'refresh') throw unauthorized(AuthMessages.refreshWrongType, 'token_not_valid');
    const user = typeof claims.user_id === 'number' ? await this.repo.findById(claims.user_id) : undefined;
    // A deleted account or a password changed since the token was issued ends the session.
    if (!user || claims.ver !== user.token_version) throw unauthorized(AuthMessages.refreshInvalid, 'token_not_valid');
    return { access: this.tokens.access(user.id) };
  }

  /** The user behind an access token, or the matching 401. */
  async authenticate(token: string, options: AuthenticateOptions = {}): Promise<UserRow> {
    const claims = this.tokens.verify(token);
    if (!claims || claims.token_type !== 'access') throw AuthFailures.tokenNotValid();
    if (typeof claims.user_id !== 'number') throw AuthFailures.noUserClaim();
    if (options.maxAgeMs !== undefined) {
      const recent = this.recentCallers.get(claims.user_id, options.maxAgeMs);
      if (recent) return recent;
    }
    const user = options.withNotifications
      ? await this.users.findWithNotifications(claims.user_id)
      : await this.repo.findById(claims.user_id);
    if (!user) throw AuthFailures.userNotFound();
    if (options.maxAgeMs !== undefined) this.recentCallers.remember(user);
    return user;
  }

  /** The account changed or is gone (`all`: any account may have): the lists' token checks read it again (recent-callers.ts). */
  forgetCallers(userIds: Iterable<number> | 'all'): void {
    if (userIds === 'all') this.recentCallers.forgetAll();
    else for (const userId of userIds) this.recentCallers.forget(userId);
  }

  /** Checks a password confirmation (account deletion): missing or wrong, it answers 401 (`password_confirmation_required`, `incorrect_password`). */
  async confirmPassword(user: UserRow, password: string | undefined): Promise<void> {
    if (password === undefined || password === null || password === '') throw AuthFailures.passwordConfirmationRequired();
    if (!(await passwordMatches(user.password_hash, password))) throw AuthFailures.incorrectPassword();
  }

  /**
   * Changes the username and/or password of the caller. A password change
   * bumps the token version, which invalidates every refresh token issued before.
   */
  async updateCredentials(user: UserRow, change: { username?: string; password?: string; old_password?: string }): Promise<void> {
    if (change.password !== undefined && user.is_guest === 1) throw forbidden(AuthMessages.guestsOnlyUsername);
    const errors: FieldErrors = {};
    if (change.username !== undefined) await this.checkUsername(change.username, errors, {});
    if (Object.keys(errors).length > 0) throw badRequest(errors);
    let passwordHash: string | undefined;
    if (change.password !== undefined) {
      if (change.old_password === undefined) throw badRequest({ old_password: [AuthMessages.passwordConfirmationRequired] });
      if (!(await passwordMatches(user.password_hash, change.old_password))) throw badRequest({ old_password: [AuthMessages.incorrectPassword] });
      const same = await passwordMatches(user.password_hash, change.password);
      const failures = passwordRuleFailures(change.password, change.username ?? user.username, same);
      if (failures.length > 0) throw badRequest({ password: failures });
      passwordHash = await hashPassword(change.password);
    }
    await this.repo.transaction((trx) =>
      this.repo.updateCredentials(trx, user.id, { username: change.username, passwordHash, bumpTokenVersion: passwordHash !== undefined }),
    );
  }
}
