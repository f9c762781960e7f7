import { LRUCache } from 'lru-cache';
import { config } from '../../config';
import { queryPrepared } from '../../db/prepared';
import { Batcher } from '../../utils/batcher';
import type { Role } from '../../models/user';
import { invalidationBusStatus, publishInvalidation, type Invalidation } from './revocation.bus';

/** What the session named by an access token stands for right now. */
export interface SessionState {
  userId: number;
  username: string;
  role: Role;
  emailVerified: boolean;
  expiresAt: number;
  revoked: boolean;
}

interface Row {
  userId: number;
  username: string;
  role: Role;
  emailVerified: boolean;
  expiresAt: Date;
  revoked: boolean;
}

/** `null` remembers a session that no longer exists (its user was deleted): it never comes back. */
type Entry = { state: SessionState | null };

const ttl = config.AUTH_CACHE_TTL_MS;
const cache = ttl > 0 ? new LRUCache<string, Entry>({ max: 50_000, ttl }) : undefined;

/**
 * Bumped by every invalidation: a look-up that started before one does not store what it
 * read, since the row may have changed under it.
 */
let generation = 0;

/**
 * Run on cache misses: the sessions asked for in the same moment are read by one prepared
 * statement (see db/prepared), so a reconnect storm of thousands of sockets costs a few
 * queries, queued rather than competing for the pool.
 */
const loader = new Batcher<string, SessionState | null>(
  async (sessionIds) => {
    const rows = await queryPrepared<Row & { sessionId: string }>(
      `SELECT s."id" AS "sessionId", s."UserId" AS "userId", u."username", u."role", u."emailVerified", s."expiresAt", s."revokedAt" IS NOT NULL AS "revoked"
         FROM "Sessions" s JOIN "Users" u ON u."id" = s."UserId"
        WHERE s."id" = ANY($1::uuid[])`,
      [sessionIds],
    );
    return new Map(rows.map(({ sessionId, ...row }) => [sessionId, { ...row, expiresAt: new Date(row.expiresAt).getTime() }]));
  },
  null,
  { maxBatch: 500, concurrency: 2 },
);

async function load(sessionId: string): Promise<SessionState | null> {
  return loader.get(sessionId.toLowerCase());
}

/**
 * The session and its user in one query, cached for `AUTH_CACHE_TTL_MS`. This process
 * forgets an entry the moment it revokes the session or changes or deletes the user.
 */
export async function sessionState(sessionId: string): Promise<SessionState | null> {
  // While the LISTEN connection is down another instance's revocation could be missed:
  // every request reads the database until it is back.
  if (invalidationBusStatus().state === 'down') return load(sessionId);
  const hit = cache?.get(sessionId);
  if (hit) return hit.state;
  const started = generation;
  const state = await load(sessionId);
  if (started === generation) cache?.set(sessionId, { state });
  return state;
}

export function forgetSessions(sessionIds: readonly string[]): void {
  generation += 1;
  for (const id of sessionIds) cache?.delete(id);
}

/** After a role, username or account change: every cached session of that user is dropped, in every process. */
export function forgetUser(userId: number): void {
  forgetUserHere(userId);
  publishInvalidation({ users: [userId] });
}

function forgetUserHere(userId: number): void {
  generation += 1;
  if (!cache) return;
  const ids = [...cache.entries()].filter(([, entry]) => entry.state?.userId === userId).map(([id]) => id);
  for (const id of ids) cache.delete(id);
}

function forgetEverything(): void {
  generation += 1;
  cache?.clear();
}

/** Another instance changed users, or notifications were missed: those cached states are stale. */
export function sessionStateChangedElsewhere({ users, everything }: Invalidation): void {
  if (everything) forgetEverything();
  else users?.forEach(forgetUserHere);
}
