import { LRUCache } from 'lru-cache';
import { Batcher } from '../../utils/batcher';
import { Op } from 'sequelize';
import { queryPrepared } from '../../db/prepared';
import { AppError } from '../../errors';
import { logger } from '../../logger';
import { Session } from '../../models';
import type { Principal } from '../auth/principal.service';
import { announceRevocation } from '../auth/session.service';

/** One line of GET /sessions. */
export interface SessionView {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
}

const live = () => ({ revokedAt: null, expiresAt: { [Op.gt]: new Date() } });

/** My live sessions, newest first; `current` marks the one this token belongs to. */
export async function listSessions(principal: Principal): Promise<SessionView[]> {
  const rows = await Session.findAll({
    attributes: ['id', 'userAgent', 'ip', 'createdAt', 'lastUsedAt'],
    where: { UserId: principal.userId, ...live() },
    order: [
      ['createdAt', 'DESC'],
      ['id', 'ASC'],
    ],
  });
  return rows.map((s) => ({
    id: s.id,
    current: s.id === principal.sessionId,
    userAgent: s.userAgent,
    ip: s.ip,
    createdAt: s.createdAt,
    lastUsedAt: s.lastUsedAt,
  }));
}

/** Ends one of my sessions (its tokens stop working and its sockets are disconnected at once); anyone else's is a 404. */
export async function revokeMySession(principal: Principal, sessionId: string): Promise<void> {
  const [count] = await Session.update({ revokedAt: new Date() }, { where: { id: sessionId, UserId: principal.userId, ...live() } });
  if (count === 0) throw AppError.notFound('Session not found');
  announceRevocation([sessionId]);
}

/** Ends every live session of mine but the current one; returns how many. */
export async function revokeOtherSessions(principal: Principal): Promise<number> {
  const rows = await Session.findAll({
    attributes: ['id'],
    where: { UserId: principal.userId, id: { [Op.ne]: principal.sessionId }, ...live() },
  });
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return 0;
  const [count] = await Session.update({ revokedAt: new Date() }, { where: { id: { [Op.in]: ids }, revokedAt: null } });
  announceRevocation(ids);
  return count;
}

/** Sessions whose `lastUsedAt` this process wrote this minute (epoch minute by session id). */
const touched = new LRUCache<string, number>({ max: 50_000 });

const TOUCH = `UPDATE "Sessions" SET "lastUsedAt" = date_trunc('minute', now()) WHERE "id" = ANY($1::uuid[]) AND "lastUsedAt" < date_trunc('minute', now())`;

/**
 * The sessions touched in the same moment are written by one UPDATE, one at a time: a
 * reconnect storm of thousands of sockets would otherwise queue thousands of writes for
 * the pool that its handshakes need.
 */
const writer = new Batcher<string, undefined>(
  async (sessionIds) => {
    await queryPrepared(TOUCH, [sessionIds]);
    return new Map();
  },
  undefined,
  { maxBatch: 1000, concurrency: 1 },
);

/**
 * Records that a session was used, to the minute: at most one UPDATE per session and
 * minute per process, never awaited by the request it serves.
 */
export function touchSession(sessionId: string): void {
  const minute = Math.floor(Date.now() / 60_000);
  if (touched.get(sessionId) === minute) return;
  touched.set(sessionId, minute);
  writer.get(sessionId).catch((err: unknown) => {
    touched.delete(sessionId);
    logger.warn({ err }, 'could not record the last use of a session');
  });
}
