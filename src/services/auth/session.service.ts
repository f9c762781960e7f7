import { createHmac, randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { config } from '../../config';
import { AppError } from '../../errors';
import { RefreshToken, Session } from '../../models';
import { getSequelize } from '../../db/sequelize';
import { logger } from '../../logger';
import { publishInvalidation, type Invalidation } from './revocation.bus';
import { forgetSessions } from './session-state.cache';
import { hashRefreshToken, newRefreshToken } from './token.service';

export interface IssuedSession {
  sessionId: string;
  refreshToken: string;
}

/** The device a session is opened from, as GET /sessions shows it. */
export interface SessionClient {
  userAgent?: string | null;
  ip?: string | null;
}

/** Now, to the minute: `lastUsedAt` is kept at that precision (and so written at most once a minute). */
export function thisMinute(): Date {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000);
}

/** Opens a session (one login on one device) with its first refresh token. */
export async function openSession(userId: number, transaction?: Transaction, client: SessionClient = {}): Promise<IssuedSession> {
  const id = randomUUID();
  const { token, hash } = newRefreshToken();
  const device = { userAgent: client.userAgent?.slice(0, 512) ?? null, ip: client.ip?.slice(0, 64) ?? null, lastUsedAt: thisMinute() };
  const run = async (t: Transaction) => {
    await Session.create(
      { id, UserId: userId, expiresAt: new Date(Date.now() + config.refreshTtlMs), revokedAt: null, ...device },
      { transaction: t },
    );
    await RefreshToken.create({ SessionId: id, tokenHash: hash, rotatedAt: null }, { transaction: t });
  };
  if (transaction) await run(transaction);
  else await getSequelize().transaction(run);
  return { sessionId: id, refreshToken: token };
}

// The refresh token a rotation hands out is derived from the one it replaces (an HMAC under a
// key of the server's), so a replay within REFRESH_REUSE_GRACE_SECONDS can be answered with
// the session's current token although only hashes are stored.
const rotationKey = createHmac('sha256', config.jwtSecret).update('car-community/refresh-rotation').digest();

function successorOf(token: string): string {
  return createHmac('sha256', rotationKey).update(token, 'utf8').digest('base64url');
}

/** The longest chain of rotations a grace replay follows to the current token. */
const MAX_CHAIN = 50;

/** From a rotated token along its successors to the session's live one (undefined if the chain breaks). */
async function currentTokenAfter(presented: string, sessionId: string, transaction: Transaction): Promise<string | undefined> {
  let token = successorOf(presented);
  for (let i = 0; i < MAX_CHAIN; i += 1) {
    const row = await RefreshToken.findOne({
      attributes: ['rotatedAt'],
      where: { tokenHash: hashRefreshToken(token), SessionId: sessionId },
      transaction,
    });
    if (!row) return undefined;
    if (!row.rotatedAt) return token;
    token = successorOf(token);
  }
  return undefined;
}

function withinGrace(rotatedAt: Date): boolean {
  const graceMs = config.REFRESH_REUSE_GRACE_SECONDS * 1000;
  return graceMs > 0 && Date.now() - rotatedAt.getTime() <= graceMs;
}

type Rotation = { userId: number; sessionId: string; refreshToken: string } | { error: 'invalid' } | { error: 'reused'; sessionId: string };

/**
 * Exchanges a refresh token for a new one of the same session. A token that was already
 * rotated is a sign of theft: the whole session is revoked, unless it was rotated less
 * than REFRESH_REUSE_GRACE_SECONDS ago (a client refreshing twice in parallel): then the
 * answer is the session's current refresh token. The token and its session are locked,
 * so the refreshes of one session take turns.
 */
export async function rotateRefreshToken(presented: string): Promise<{ userId: number; sessionId: string; refreshToken: string }> {
  const hash = hashRefreshToken(presented);
  const outcome = await getSequelize().transaction(async (transaction): Promise<Rotation> => {
    // An inner join: FOR UPDATE locks the token and its session (it cannot lock an outer join's nullable side).
    const row = await RefreshToken.findOne({
      where: { tokenHash: hash },
      include: [{ model: Session, required: true }],
      transaction,
      lock: transaction.LOCK.UPDATE,
    });
    const session = row ? (row as RefreshToken & { Session?: Session }).Session : undefined;
    if (!row || !session) return { error: 'invalid' };
    if (session.revokedAt || session.expiresAt.getTime() <= Date.now()) return { error: 'invalid' };
    if (session.lastUsedAt.getTime() < thisMinute().getTime()) await session.update({ lastUsedAt: thisMinute() }, { transaction });
    if (row.rotatedAt) {
      const current = withinGrace(row.rotatedAt) ? await currentTokenAfter(presented, session.id, transaction) : undefined;
      if (current) return { userId: session.UserId, sessionId: session.id, refreshToken: current };
      await session.update({ revokedAt: new Date() }, { transaction });
      return { error: 'reused', sessionId: session.id };
    }
    const next = successorOf(presented);
    await row.update({ rotatedAt: new Date() }, { transaction });
    await RefreshToken.create({ SessionId: session.id, tokenHash: hashRefreshToken(next), rotatedAt: null }, { transaction });
    return { userId: session.UserId, sessionId: session.id, refreshToken: next };
  });
  if ('error' in outcome) {
    if (outcome.error === 'reused') announceRevocation([outcome.sessionId]);
    throw AppError.invalidToken('The refresh token is invalid, expired or revoked');
  }
  return outcome;
}

export async function revokeSession(sessionId: string): Promise<void> {
  await Session.update({ revokedAt: new Date() }, { where: { id: sessionId, revokedAt: null } });
  announceRevocation([sessionId]);
}

/** The session a refresh token belongs to, if it is one of this user's. */
export async function sessionOfRefreshToken(presented: string, userId: number): Promise<string | undefined> {
  const row = await RefreshToken.findOne({
    attributes: ['SessionId'],
    where: { tokenHash: hashRefreshToken(presented) },
    include: [{ model: Session, attributes: [], where: { UserId: userId }, required: true }],
  });
  return row?.SessionId;
}

/** The session a refresh token (current or rotated) belongs to, whoever's it is. */
export async function sessionIdOfRefreshToken(presented: string): Promise<string | undefined> {
  const row = await RefreshToken.findOne({ attributes: ['SessionId'], where: { tokenHash: hashRefreshToken(presented) }, raw: true });
  return row?.SessionId;
}

/** Every session id of a user, live or not (what an account deletion takes with it). */
export async function sessionIdsOf(userId: number, transaction?: Transaction): Promise<string[]> {
  const rows = await Session.findAll({ attributes: ['id'], where: { UserId: userId }, transaction });
  return rows.map((s) => s.id);
}

/**
 * Revokes every live session of a user (but `exceptSessionId`); returns their ids. Inside a transaction the
 * listeners hear of it only once that transaction commits.
 */
export async function revokeAllSessions(userId: number, transaction?: Transaction, exceptSessionId?: string): Promise<string[]> {
  const except = exceptSessionId ? { id: { [Op.ne]: exceptSessionId } } : {};
  const live = await Session.findAll({ attributes: ['id'], where: { UserId: userId, revokedAt: null, ...except }, transaction });
  const ids = live.map((s) => s.id);
  if (ids.length > 0) await Session.update({ revokedAt: new Date() }, { where: { id: { [Op.in]: ids } }, transaction });
  if (transaction) transaction.afterCommit(() => announceRevocation(ids));
  else announceRevocation(ids);
  return ids;
}

/**
 * Whether the session an access token names is usable, read from the database (never the
 * cache): for checks that must see another instance's revocation at once.
 */
export async function isSessionActive(sessionId: string, userId: number): Promise<boolean> {
  const session = await Session.findOne({ attributes: ['id', 'revokedAt', 'expiresAt'], where: { id: sessionId, UserId: userId }, raw: true });
  return Boolean(session && !session.revokedAt && new Date(session.expiresAt).getTime() > Date.now());
}

type RevocationListener = (sessionIds: string[]) => void;
const listeners = new Set<RevocationListener>();

/** Lets caches and live sockets learn at once that sessions were revoked (or deleted with their user). */
export function onRevocation(listener: RevocationListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells every listener here and every other process; call it only once the revocation is committed. */
export function announceRevocation(ids: string[]): void {
  if (ids.length === 0) return;
  notifyListeners(ids);
  publishInvalidation({ sessions: ids });
}

function notifyListeners(ids: string[]): void {
  forgetSessions(ids);
  for (const listener of listeners) {
    try {
      listener(ids);
    } catch (err) {
      logger.error({ err }, 'a revocation listener failed');
    }
  }
}

/** Another instance revoked sessions: drop them from our cache and disconnect our sockets too. */
export function sessionsRevokedElsewhere({ sessions }: Invalidation): void {
  if (sessions?.length) notifyListeners(sessions);
}
