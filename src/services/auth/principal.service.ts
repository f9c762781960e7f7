import { AppError } from '../../errors';
import type { Role } from '../../models/user';
import { touchSession } from '../accounts/device-sessions.service';
import { sessionState } from './session-state.cache';
import { verifyAccessToken, type AccessClaims } from './token.service';

/** Who is calling: resolved from a verified access token, shared by REST and Socket.IO. */
export interface Principal {
  userId: number;
  username: string;
  role: Role;
  emailVerified: boolean;
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

/** The token's session must exist, belong to its subject, be neither revoked nor expired. */
async function principalFromClaims(claims: AccessClaims): Promise<Principal> {
  const state = await sessionState(claims.sessionId);
  if (!state || state.userId !== claims.userId || state.revoked || state.expiresAt <= Date.now()) {
    throw AppError.invalidToken('The token has been revoked');
  }
  return {
    userId: state.userId,
    username: state.username,
    role: state.role,
    emailVerified: state.emailVerified,
    sessionId: claims.sessionId,
    tokenId: claims.tokenId,
    tokenExpiresAt: claims.expiresAt,
  };
}

/** Verifies an access token and checks that its session and user still exist (cheaply: see session-state.cache). */
export async function authenticateToken(token: string | undefined): Promise<Principal> {
  if (!token) throw AppError.unauthenticated();
  const principal = await principalFromClaims(verifyAccessToken(token));
  touchSession(principal.sessionId);
  return principal;
}
