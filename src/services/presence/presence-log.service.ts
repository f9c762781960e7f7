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
 * One page of who is on and who is off, ordered by username. Each entry keeps its user's
 * lower-cased username (`usernameKey`, "C" collation, kept by triggers): one index-only
 * walk of "Logs" serves the order, the prefix and the skipped pages, and only the page's
 * rows are joined to "Users".
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
    conditions.push(`l."usernameKey" >= $${params.length - 1} AND l."usernameKey" < $${params.length}`);
  }
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const [counted] = await queryPrepared<{ total: number }>(`SELECT count(*)::int AS total FROM "Logs" l${where}`, params);
  const rows = await queryPrepared<Row>(
    `SELECT p."UserId", p."status", p."updatedAt", u."username", u."avatarVersion"
     FROM (SELECT l."UserId", l."status", l."updatedAt", l."usernameKey" FROM "Logs" l${where}
           ORDER BY l."usernameKey", l."UserId" LIMIT $${params.length + 1} OFFSET $${params.length + 2}) p
     JOIN "Users" u ON u."id" = p."UserId"
     ORDER BY p."usernameKey", p."UserId"`,
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
