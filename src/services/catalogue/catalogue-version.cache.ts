import { LRUCache } from 'lru-cache';
import { queryPrepared } from '../../db/prepared';

async function readVersion(): Promise<string> {
  const [row] = await queryPrepared<{ version: string }>('SELECT "version"::text AS "version" FROM "CatalogueVersion" WHERE "id" = 1', []);
  return row?.version ?? '0';
}

/** The read in flight, and the one that starts when it is done (shared by everyone who asked meanwhile). */
let running: Promise<string> | undefined;
let next: Promise<string> | undefined;

/**
 * The catalogue's version: a counter that the triggers of the catalogue migration bump in
 * the transaction of every statement that writes cars (an import, a test factory, psql).
 * Every answer comes from a read that STARTED after it was asked for, so every instance
 * sees a change as soon as it commits; ETags, totals, facets and search plans are keyed by
 * it and never need invalidating. Concurrent requests share reads: while one read runs,
 * everyone who asks waits for the single read that starts when it ends (not for the one
 * already running, which may have started before a commit they must see). Under load that
 * is two reads in flight at most instead of one per request.
 */
export function catalogueVersion(): Promise<string> {
  if (!running) return startRead();
  const ignore = () => undefined;
  next ??= running.then(ignore, ignore).then(() => {
    next = undefined;
    // A read started since the last one ended started after every waiter here asked.
    return running ?? startRead();
  });
  return next;
}

function startRead(): Promise<string> {
  const read: Promise<string> = readVersion().finally(() => {
    if (running === read) running = undefined;
  });
  running = read;
  return read;
}

/**
 * Values computed from the catalogue at one version. A key carries the version, so entries
 * of an older version are never read again and age out of the LRU. Concurrent misses for the
 * same key share one computation; a failed one is forgotten.
 */
export class VersionedCache<T extends object> {
  private readonly entries: LRUCache<string, Promise<T>>;

  constructor(max: number) {
    this.entries = new LRUCache({ max });
  }

  async get(version: string, key: string, compute: () => Promise<T>): Promise<T> {
    const full = `${version}\u0000${key}`;
    const known = this.entries.get(full);
    if (known) return known;
    const computing = compute();
    this.entries.set(full, computing);
    computing.catch(() => this.entries.delete(full));
    return computing;
  }
}
