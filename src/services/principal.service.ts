import { AppError } from '../errors';
import { User } from '../models';
import type { Role } from '../models/user';
import { isSessionActive } from './session.service';
import { verifyAccessToken, type AccessClaims } from './token.service';

/** Who is calling: resolved from a verified access token, shared by REST and Socket.IO. */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  sessionId: string;
  tokenId: string;
  tokenExpiresAt: number;
}

/** The token's header value: `access_token: <jwt>` or `Authorization: Bearer <jwt>`. */
export function extractToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const direct = headers['access_token'];
  if (typeof direct === 'string' && direct.trim()) return direct.trim();
  const auth = headers['authorization'];
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  return undefined;
}

async function principalFromClaims(claims: AccessClaims): Promise<Principal> {
  const [active, user] = await Promise.all([
    isSessionActive(claims.sessionId, claims.userId),
    User.findByPk(claims.userId, { attributes: ['id', 'username', 'role'], raw: true }),
  ]);
  if (!active || !user) throw AppError.invalidToken('The token has been revoked');
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    sessionId: claims.sessionId,
    tokenId: claims.tokenId,
    tokenExpiresAt: claims.expiresAt,
  };
}

/** Verifies an access token and checks that its session and user still exist. */
export async function authenticateToken(token: string | undefined): Promise<Principal> {
  if (!token) throw AppError.unauthenticated();
  return principalFromClaims(verifyAccessToken(token));
}
