import { QueryTypes, type Transaction } from 'sequelize';
import { getSequelize } from '../../db/sequelize';
import type { PresenceStatus } from '../../models/log';

/**
 * Presence in the database. A user's Log row is `on` while at least one
 * PresenceHolders row (user, instance) exists; every change that can flip it locks the
 * Log row first, so instances never both announce, and a flip is reported by the one
 * statement that made it (`RETURNING`). Times come from the database clock.
 */
export interface PresenceChange {
  UserId: number;
  username: string;
  status: PresenceStatus;
  at: Date;
}

async function select<T extends object>(sql: string, bind: unknown[], transaction?: Transaction): Promise<T[]> {
  return getSequelize().query<T>(sql, { bind, type: QueryTypes.SELECT, transaction });
}

/** Announces or refreshes this instance; true when its row was missing (first beat, or reaped while unreachable). */
export async function beatInstance(instanceId: string): Promise<boolean> {
  const [row] = await select<{ inserted: boolean }>(
    `INSERT INTO "SocketInstances" (id, "startedAt", "heartbeatAt") VALUES ($1, now(), now())
     ON CONFLICT (id) DO UPDATE SET "heartbeatAt" = now() RETURNING (xmax = 0) AS inserted`,
    [instanceId],
  );
  return Boolean(row?.inserted);
}

/** The user has a live socket on this instance: returns the change when this made them `on`. */
export async function markOnline(userId: number, instanceId: string): Promise<PresenceChange | null> {
  return getSequelize().transaction(async (transaction) => {
    // The upsert locks the Log row even when it is already `on` (ON CONFLICT DO UPDATE).
    const [change] = await select<PresenceChange>(
      `WITH up AS (
         INSERT INTO "Logs" ("UserId", status, "createdAt", "updatedAt") VALUES ($1, 'on', now(), now())
         ON CONFLICT ("UserId") DO UPDATE SET status = 'on', "updatedAt" = now() WHERE "Logs".status <> 'on'
         RETURNING "UserId", status, "updatedAt")
       SELECT up."UserId", u.username, up.status, up."updatedAt" AS at FROM up JOIN "Users" u ON u.id = up."UserId"`,
      [userId],
      transaction,
    );
    await select(
      `INSERT INTO "PresenceHolders" ("UserId", "instanceId", "createdAt") VALUES ($1, $2, now()) ON CONFLICT DO NOTHING RETURNING 1`,
      [userId, instanceId],
      transaction,
    );
    return change ?? null;
  });
}

/**
 * markOnline for many users in one transaction (a connection storm): the Log rows are
 * upserted in id order (so two instances lock them in the same order) and only users that
 * still exist are touched. Returns the changes, one per user this made `on`.
 */
export async function markOnlineMany(userIds: number[], instanceId: string): Promise<PresenceChange[]> {
  const ids = [...new Set(userIds)].sort((x, y) => x - y);
  return getSequelize().transaction(async (transaction) => {
    const changes = await select<PresenceChange>(
      `WITH ids AS (SELECT u.id, lower(u.username) AS key FROM "Users" u WHERE u.id = ANY($1::int[])),
       up AS (
         INSERT INTO "Logs" ("UserId", "usernameKey", status, "createdAt", "updatedAt") SELECT id, key, 'on', now(), now() FROM ids ORDER BY id
         ON CONFLICT ("UserId") DO UPDATE SET status = 'on', "updatedAt" = now() WHERE "Logs".status <> 'on'
         RETURNING "UserId", status, "updatedAt")
       SELECT up."UserId", u.username, up.status, up."updatedAt" AS at FROM up JOIN "Users" u ON u.id = up."UserId"`,
      [ids],
      transaction,
    );
    await select(
      `INSERT INTO "PresenceHolders" ("UserId", "instanceId", "createdAt")
       SELECT u.id, $2, now() FROM "Users" u WHERE u.id = ANY($1::int[]) ORDER BY u.id ON CONFLICT DO NOTHING RETURNING 1`,
      [ids, instanceId],
      transaction,
    );
    return changes;
  });
}

/** Sets the user `off` if no instance holds them any more; must run in a transaction. */
async function offIfUnheld(userId: number, transaction: Transaction): Promise<PresenceChange | null> {
  // Wait for any concurrent markOnline of this user; the next statement then sees its holder.
  await select(`SELECT 1 FROM "Logs" WHERE "UserId" = $1 FOR UPDATE`, [userId], transaction);
  const [change] = await select<PresenceChange>(
    `UPDATE "Logs" l SET status = 'off', "updatedAt" = now() FROM "Users" u
     WHERE l."UserId" = $1 AND u.id = l."UserId" AND l.status = 'on'
       AND NOT EXISTS (SELECT 1 FROM "PresenceHolders" h WHERE h."UserId" = $1)
     RETURNING l."UserId", u.username, l.status, l."updatedAt" AS at`,
    [userId],
    transaction,
  );
  return change ?? null;
}

/** This instance no longer has the user (grace period over): `off` unless another instance holds them. */
export async function markOffline(userId: number, instanceId: string): Promise<PresenceChange | null> {
  return getSequelize().transaction(async (transaction) => {
    await select(`SELECT 1 FROM "Logs" WHERE "UserId" = $1 FOR UPDATE`, [userId], transaction);
    await releaseHolder(userId, instanceId, transaction);
    return offIfUnheld(userId, transaction);
  });
}

/** Drops this instance's claim on the user without touching the status (another instance has them). */
export async function releaseHolder(userId: number, instanceId: string, transaction?: Transaction): Promise<void> {
  await select(`DELETE FROM "PresenceHolders" WHERE "UserId" = $1 AND "instanceId" = $2 RETURNING 1`, [userId, instanceId], transaction);
}

async function reap(deadInstances: string, bind: unknown): Promise<PresenceChange[]> {
  return getSequelize().transaction(async (transaction) => {
    const released = await select<{ UserId: number }>(
      `DELETE FROM "PresenceHolders" WHERE "instanceId" IN (SELECT id FROM "SocketInstances" WHERE ${deadInstances}) RETURNING "UserId"`,
      [bind],
      transaction,
    );
    await select(`DELETE FROM "SocketInstances" WHERE ${deadInstances} RETURNING 1`, [bind], transaction);
    const changes: PresenceChange[] = [];
    // Sorted, so two reapers lock Log rows in the same order.
    for (const userId of [...new Set(released.map((r) => r.UserId))].sort((a, b) => a - b)) {
      const change = await offIfUnheld(userId, transaction);
      if (change) changes.push(change);
    }
    return changes;
  });
}

/**
 * Removes the instances whose heartbeat is older than `staleMs` (crashed, or cut off from
 * the database) with their holders, and sets `off` the users nobody holds any more.
 */
export async function reapStaleInstances(staleMs: number): Promise<PresenceChange[]> {
  return reap(`"heartbeatAt" < now() - ($1::int * interval '1 millisecond')`, staleMs);
}

/** A clean shutdown: this instance's users go `off` at once unless another instance holds them. */
export async function retireInstance(instanceId: string): Promise<PresenceChange[]> {
  return reap('id = $1', instanceId);
}
