import { queryPrepared } from '../../db/prepared';
import type { PresenceStatus } from '../../models/log';
import { offsetOf, type Page } from '../../utils/paging';
import { avatarUrlOf } from '../users/user.view';

export interface PresenceView {
  UserId: number;
  status: PresenceStatus;
  updatedAt: Date;
  User: { id: number; username: string; avatarUrl: string | null };
}

export interface PresenceQuery extends Page {
  status?: PresenceStatus;
  /** A username prefix, compared ignoring case; `%` and `_` are plain characters. */
  q?: string;
}

/**
 * The prefix as a range of lower-cased usernames in the "C" collation: `[prefix, prefix + U+10FFFF)`.
 * Every character, `%` and `_` included, is plain, and the index serves it in a generic plan
 * too (a LIKE with a bound pattern would not).
 */
function prefixRange(prefix: string): [string, string] {
  const low = prefix.toLowerCase();
  return [low, `${low}\u{10FFFF}`];
}

interface Row {
  UserId: number;
  status: PresenceStatus;
  updatedAt: Date;
  username: string;
  avatarVersion: number | null;
}

/**
 * One page of who is on and who is off, ordered by username (the index on
 * lower(username) COLLATE "C" serves both the order and the prefix), with the total.
 */
export async function presencePage(query: PresenceQuery): Promise<{ rows: PresenceView[]; total: number }> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (query.status) {
    params.push(query.status);
    conditions.push(`l."status" = $${params.length}`);
  }
  if (query.q) {
    const [low, high] = prefixRange(query.q);
    params.push(low, high);
    conditions.push(`lower(u."username") COLLATE "C" >= $${params.length - 1} AND lower(u."username") COLLATE "C" < $${params.length}`);
  }
  const from = `FROM "Logs" l JOIN "Users" u ON u."id" = l."UserId"${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''}`;
  // Every entry has its user (NOT NULL, ON DELETE CASCADE): without a username prefix the
  // total needs no join, an index-only count of 100,000 entries instead of a hash join.
  const counting = query.q ? from : `FROM "Logs" l${query.status ? ' WHERE l."status" = $1' : ''}`;
  const [counted] = await queryPrepared<{ total: number }>(`SELECT count(*)::int AS total ${counting}`, params);
  const rows = await queryPrepared<Row>(
    `SELECT l."UserId", l."status", l."updatedAt", u."username", u."avatarVersion" ${from}
     ORDER BY lower(u."username") COLLATE "C", u."id" LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, offsetOf(query)],
  );
  return {
    total: counted?.total ?? 0,
    rows: rows.map((r) => ({
      UserId: r.UserId,
      status: r.status,
      updatedAt: r.updatedAt,
      User: { id: r.UserId, username: r.username, avatarUrl: avatarUrlOf(r.UserId, r.avatarVersion) },
    })),
  };
}
