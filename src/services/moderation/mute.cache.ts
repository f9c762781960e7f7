import { LRUCache } from 'lru-cache';
import { queryPrepared } from '../../db/prepared';
import { AppError } from '../../errors';
import { publishInvalidation, type Invalidation } from '../auth/revocation.bus';

/**
 * Until when each user is muted, in memory, so a send is refused without a query. A mute or
 * unmute is announced on the revocation bus (LISTEN/NOTIFY) as a change of the user: every
 * instance forgets the entry at once. The TTL only bounds a notification lost in transit.
 */
const TTL_MS = 60_000;

/** `until` in epoch ms, or null when not muted. */
const cache = new LRUCache<number, { until: number | null }>({ max: 100_000, ttl: TTL_MS });
let generation = 0;

const MUTED_UNTIL = 'SELECT "mutedUntil" FROM "Users" WHERE "id" = $1';

/** The end of the user's mute, or null when they are not muted (never muted, lifted or over). */
export async function mutedUntil(userId: number): Promise<Date | null> {
  let entry = cache.get(userId);
  if (!entry) {
    const started = generation;
    const [row] = await queryPrepared<{ mutedUntil: Date | null }>(MUTED_UNTIL, [userId]);
    entry = { until: row?.mutedUntil ? new Date(row.mutedUntil).getTime() : null };
    if (started === generation) cache.set(userId, entry);
  }
  return entry.until !== null && entry.until > Date.now() ? new Date(entry.until) : null;
}

/** FORBIDDEN, naming the end of the mute, while the user is muted: for sends and edits, socket or REST. */
export async function assertNotMuted(userId: number): Promise<void> {
  const until = await mutedUntil(userId);
  if (until) throw AppError.forbidden(`You are muted until ${until.toISOString()}`);
}

function forgetHere(userIds: readonly number[]): void {
  generation += 1;
  for (const id of userIds) cache.delete(id);
}

/** After a mute or unmute: forgotten here now, and on every other instance (resolves once announced). */
export async function muteChanged(userId: number): Promise<void> {
  forgetHere([userId]);
  await publishInvalidation({ users: [userId] });
}

/** Another instance muted or unmuted someone (or changed a user): forget them here too. */
export function mutesChangedElsewhere({ users }: Invalidation): void {
  if (users && users.length > 0) forgetHere(users);
}
