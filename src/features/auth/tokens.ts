import { randomBytes } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';

export interface TokenPair {
  access: string;
  refresh: string;
}

export interface TokenClaims {
  token_type?: string;
  user_id?: unknown;
  ver?: number;
  exp?: number;
  iat?: number;
  jti?: string;
}

/**
 * HS256 JWTs with the claims `token_type`, `exp`, `iat`, `jti`, `user_id`. Refresh tokens
 * also carry the account's token version, bumped by a password change so
 * that every refresh token issued before stops working.
 */
export class TokenService {
  private sign: (payload: Record<string, unknown>) => string;
  private verifyToken: (token: string) => TokenClaims;

  constructor(
    secret: string,
    private readonly accessTtlSeconds: number,
    private readonly refreshTtlSeconds: number,
    private readonly nowMs: () => number,
  ) {
    this.sign = createSigner({ key: secret, algorithm: 'HS256' }) as any;
    this.verifyToken = createVerifier({ key: secret, algorithms: ['HS256'], cache: 10_000, ignoreExpiration: true }) as any;
  }

  private mint(type: 'access' | 'refresh', userId: number, ttl: number, extra: Record<string, unknown> = {}): string {
    const iat = Math.floor(this.nowMs() / 1000);
    return this.sign({ token_type: type, exp: iat + ttl, iat, jti: randomBytes(16).toString('hex'), user_id: userId, ...extra });
  }

  pair(userId: number, tokenVersion: number): TokenPair {
    return {
      access: this.mint('access', userId, this.accessTtlSeconds),
      refresh: this.mint('refresh', userId, this.refreshTtlSeconds, { ver: tokenVersion }),
    };
  }

  access(userId: number): string {
    return this.mint('access', userId, this.accessTtlSeconds);
  }

  /**
   * The claims of a token whose signature and expiry are valid, or null. A
   * token without a numeric `exp` (missing, a string, ...) never expires in
   * the JWT library's eyes: it is refused here, as this service never issues one.
   */
  verify(token: string): TokenClaims | null {
    try {
      const claims = this.verifyToken(token);
      if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp) || claims.exp * 1000 <= this.nowMs()) return null;
      return claims;
    } catch {
      return null;
    }
  }
}
