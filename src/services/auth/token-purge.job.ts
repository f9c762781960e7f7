import { QueryTypes } from 'sequelize';
import { config } from '../../config';
import { getSequelize } from '../../db/sequelize';
import { logger } from '../../logger';

/** The advisory lock the purge holds for each batch: one instance purges at a time. */
export const PURGE_LOCK = 727_276;

export interface PurgeOptions {
  /** Rows deleted per statement (PURGE_BATCH_SIZE). */
  batchSize: number;
  /** A rotated refresh token (or revoked session) is kept this long for reuse detection (PURGE_ROTATED_AFTER_HOURS). */
  rotatedAfterHours: number;
}

export interface PurgeResult {
  sessions: number;
  refreshTokens: number;
  /** Another instance held the lock at some point: it is purging, so this run stopped there. */
  skipped: boolean;
}

export function purgeOptionsFromConfig(): PurgeOptions {
  return { batchSize: config.PURGE_BATCH_SIZE, rotatedAfterHours: config.PURGE_ROTATED_AFTER_HOURS };
}

/**
 * Dead sessions: past their expiry (their refresh tokens can no longer be used), or revoked
 * longer ago than the retention. Their refresh tokens go with them (FK cascade).
 */
const DEAD_SESSIONS = `DELETE FROM "Sessions" WHERE id IN (
  SELECT id FROM "Sessions" WHERE "expiresAt" < now() OR "revokedAt" < now() - make_interval(hours => $2) LIMIT $1)
  RETURNING 1`;

/**
 * Rotated refresh tokens, once older than the retention: until then one presented again
 * still betrays a stolen token and revokes its session.
 */
const ROTATED_TOKENS = `DELETE FROM "RefreshTokens" WHERE id IN (
  SELECT id FROM "RefreshTokens" WHERE "rotatedAt" < now() - make_interval(hours => $2) LIMIT $1)
  RETURNING 1`;

/** One batch of one statement, under the lock; undefined when another instance holds it. */
async function batch(sql: string, options: PurgeOptions): Promise<number | undefined> {
  const sequelize = getSequelize();
  return sequelize.transaction(async (transaction) => {
    const [lock] = await sequelize.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS got', {
      bind: [PURGE_LOCK],
      type: QueryTypes.SELECT,
      transaction,
    });
    if (!lock?.got) return undefined;
    const rows = await sequelize.query(sql, { bind: [options.batchSize, options.rotatedAfterHours], type: QueryTypes.SELECT, transaction });
    return rows.length;
  });
}

/** Deletes in batches (short transactions, so live traffic never waits long) until nothing is left. */
async function drain(sql: string, options: PurgeOptions): Promise<{ deleted: number; skipped: boolean }> {
  let deleted = 0;
  for (;;) {
    const count = await batch(sql, options);
    if (count === undefined) return { deleted, skipped: true };
    deleted += count;
    if (count < options.batchSize) return { deleted, skipped: false };
  }
}

/** Purges dead sessions and rotated refresh tokens; while another instance purges, this one does nothing. */
export async function purgeDeadTokens(options: PurgeOptions = purgeOptionsFromConfig()): Promise<PurgeResult> {
  const sessions = await drain(DEAD_SESSIONS, options);
  if (sessions.skipped) return { sessions: sessions.deleted, refreshTokens: 0, skipped: true };
  const tokens = await drain(ROTATED_TOKENS, options);
  return { sessions: sessions.deleted, refreshTokens: tokens.deleted, skipped: tokens.skipped };
}

/** Runs the purge every `intervalMs` (PURGE_INTERVAL_MS), the first time after one interval. Returns the stop. */
export function schedulePurge(intervalMs: number, options: PurgeOptions = purgeOptionsFromConfig()): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = purgeDeadTokens(options)
      .then((result) => {
        if (result.sessions + result.refreshTokens > 0) logger.info(result, 'purged dead sessions and refresh tokens');
      })
      .catch((err: unknown) => logger.warn({ err }, 'purge of dead sessions and refresh tokens failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
