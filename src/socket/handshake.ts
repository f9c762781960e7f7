import type { ExtendedError } from 'socket.io';
import { AppError } from '../errors';
import { logger } from '../logger';
import { toAppError } from '../middleware/error-handler';
import { authenticateToken, extractToken } from '../services/auth/principal.service';
import { parsePayload } from './ack';
import { retryWhileBusy } from './admission';
import { handshakeAuth } from './payload.schemas';
import type { SocketData } from './events';
import type { AppSocket } from './types';

type Handshake = AppSocket['handshake'];

/** `auth.token`, else the `access_token` / `Authorization: Bearer` header. Never the query string. */
export function handshakeToken(handshake: Handshake): string | undefined {
  const auth: unknown = handshake.auth;
  const given = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
  if (given === undefined || given === null || given === '') return extractToken(handshake.headers);
  if (typeof given !== 'string') throw AppError.invalidToken('auth.token must be a string');
  return given.trim();
}

async function principalData(handshake: Handshake): Promise<SocketData> {
  const token = handshakeToken(handshake);
  const principal = await retryWhileBusy(() => authenticateToken(token));
  const { offset } = parsePayload(handshakeAuth, handshake.auth ?? {});
  const { userId, username, role, sessionId, tokenExpiresAt } = principal;
  return { userId, username, role, sessionId, tokenExpiresAt, offset };
}

/**
 * Socket.IO middleware: the same token checks as REST. A refusal reaches the client as
 * `connect_error` whose `message` is the error code and whose `data` is `{ code, message }`.
 */
export async function authenticateHandshake(socket: AppSocket, next: (err?: ExtendedError) => void): Promise<void> {
  try {
    socket.data = await principalData(socket.handshake);
    next();
  } catch (err) {
    const error = toAppError(err);
    const code = error.status === 503 ? 'UNAVAILABLE' : error.code;
    if (error.status >= 500) logger.error({ err }, 'socket handshake failed');
    else logger.info({ code }, 'socket handshake refused');
    next(Object.assign(new Error(code), { data: { code, message: error.message } }));
  }
}
