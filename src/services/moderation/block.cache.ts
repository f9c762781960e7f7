import { LRUCache } from 'lru-cache';
import { Op, type WhereOptions } from 'sequelize';
import { queryPrepared } from '../../db/prepared';
import { publishInvalidation, type Invalidation } from '../auth/revocation.bus';

/**
 * Who blocks whom, in memory: a broadcast from user S asks "who blocks S" once (a cache hit
 * almost always), never once per recipient. Every change is announced on the revocation bus
 * as a change of both users (LISTEN/NOTIFY), so every instance forgets the pair's entries at
 * once and reloads them on the next look-up. The TTL only bounds the damage of a notification
 * lost while the LISTEN connection was down.
 */
const TTL_MS = 60_000;
const MAX_USERS = 100_000;

type Ids = ReadonlySet<number>;

/** user → the users who block them (the rooms a broadcast from them skips). */
const blockers = new LRUCache<number, Ids>({ max: MAX_USERS, ttl: TTL_MS });
/** user → the users they block (what history and catch-up leave out for them). */
const blocked = new LRUCache<number, Ids>({ max: MAX_USERS, ttl: TTL_MS });

/** Bumped by every change: a load that started before one does not store what it read. */
let generation = 0;

const BLOCKERS_OF = 'SELECT "UserId" AS id FROM "Blocks" WHERE "BlockedUserId" = $1';
const BLOCKED_BY = 'SELECT "BlockedUserId" AS id FROM "Blocks" WHERE "UserId" = $1';

async function cached(cache: LRUCache<number, Ids>, sql: string, userId: number): Promise<Ids> {
  const hit = cache.get(userId);
  if (hit) return hit;
  const started = generation;
  const rows = await queryPrepared<{ id: number }>(sql, [userId]);
  const ids: Ids = new Set(rows.map((r) => r.id));
  if (started === generation) cache.set(userId, ids);
  return ids;
}

/** The users who block `userId`: they receive none of its messages or typing. */
export function blockersOf(userId: number): Promise<Ids> {
  return cached(blockers, BLOCKERS_OF, userId);
}

/** The users `userId` blocks: their messages are left out of its history and catch-up. */
export function blockedBy(userId: number): Promise<Ids> {
  return cached(blocked, BLOCKED_BY, userId);
}

/** Whether either user blocks the other (a `dm:` room between them is FORBIDDEN both ways). */
export async function isBlockedEitherWay(a: number, b: number): Promise<boolean> {
  const [ofA, ofB] = await Promise.all([blockersOf(a), blockersOf(b)]);
  return ofA.has(b) || ofB.has(a);
}

/**
 * A `where` on messages that leaves out the authors `viewerId` blocks (history, catch-up,
 * change feeds); `{}` when they block nobody. Messages of deleted accounts (UserId null) stay.
 */
export async function hideBlockedAuthors(viewerId: number): Promise<WhereOptions> {
  const hidden = [...(await blockedBy(viewerId))];
  if (hidden.length === 0) return {};
  return { [Op.or]: [{ UserId: null }, { UserId: { [Op.notIn]: hidden } }] };
}

function forgetHere(userIds: readonly number[]): void {
  generation += 1;
  for (const id of userIds) {
    blockers.delete(id);
    blocked.delete(id);
  }
}

/** After a block or unblock between these users: forgotten here now, and on every other instance (resolves once announced). */
export async function blocksChanged(blockerId: number, blockedId: number): Promise<void> {
  forgetHere([blockerId, blockedId]);
  await publishInvalidation({ users: [blockerId, blockedId] });
}

/** Another instance changed a block (or a user): its entries are stale here too. */
export function blocksChangedElsewhere({ users }: Invalidation): void {
  if (users && users.length > 0) forgetHere(users);
}
