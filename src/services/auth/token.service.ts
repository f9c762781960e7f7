import { createHash, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { config } from '../../config';
import { AppError } from '../../errors';

// A KeyObject, not the string: jsonwebtoken 9 tries createPublicKey on a string secret
// first, which costs ~40x more per verify.
const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
const ALGORITHM = 'HS256';
/** Verified access tokens, until they expire (see verifyAccessToken). */
const verified = new LRUCache<string, AccessClaims>({ max: 10_000 });

export interface AccessClaims {
  userId: number;
  sessionId: string;
  tokenId: string;
  issuedAt: number;
  expiresAt: number;
}

export function signAccessToken(userId: number, sessionId: string): string {
  return jwt.sign({ typ: 'access', sid: sessionId }, key, {
    algorithm: ALGORITHM,
    subject: String(userId),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    expiresIn: config.accessTtlSeconds,
    jwtid: randomUUID(),
  });
}

function isAccessPayload(p: string | JwtPayload): p is JwtPayload & { sub: string; sid: string; jti: string; exp: number; iat: number } {
  return (
    typeof p === 'object' &&
    p.typ === 'access' &&
    typeof p.sub === 'string' &&
    /^[1-9]\d{0,9}$/.test(p.sub) &&
    typeof p.sid === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(p.sid) &&
    typeof p.jti === 'string' &&
    typeof p.exp === 'number' &&
    typeof p.iat === 'number'
  );
}

/**
 * Verifies signature (HS256 only), expiry, issuer, audience and token type.
 *
 * A token already verified in this process is only checked for expiry again: the cache is
 * keyed by the whole token, signature included, so only the same bytes hit it, and the
 * HMAC and claim checks (~60 µs of a ~470 µs authenticated read, GC included) run once per
 * token instead of once per request. Whether its session still stands is not cached here
 * (see principal.service).
 */
export function verifyAccessToken(token: string): AccessClaims {
  const known = verified.get(token);
  if (!known) return remember(token, verifySignedToken(token));
  if (known.expiresAt <= Math.floor(Date.now() / 1000)) throw expired();
  return known;
}

function remember(token: string, claims: Readonly<AccessClaims>): AccessClaims {
  Object.freeze(claims);
  const ttl = claims.expiresAt * 1000 - Date.now();
  if (ttl > 0) verified.set(token, claims, { ttl });
  return claims;
}

const expired = () => new AppError(401, 'TOKEN_EXPIRED', 'The access token has expired');

function verifySignedToken(token: string): AccessClaims {
  let payload: string | JwtPayload;
  try {
    payload = jwt.verify(token, key, { algorithms: [ALGORITHM], issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw expired();
    throw AppError.invalidToken();
  }
  if (!isAccessPayload(payload)) throw AppError.invalidToken();
  return { userId: Number(payload.sub), sessionId: payload.sid, tokenId: payload.jti, issuedAt: payload.iat, expiresAt: payload.exp };
}

/** Refresh tokens are opaque random strings; only their SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
