import { LRUCache } from 'lru-cache';
import { queryPrepared } from '../../db/prepared';

/**
 * The catalogue's version: a counter that the triggers of the catalogue migration bump in
 * the transaction of every statement that writes cars (an import, a test factory, psql).
 * One primary-key read per request, so every instance sees a change as soon as it commits;
 * ETags, totals, facets and search plans are keyed by it and never need invalidating.
 */
export async function catalogueVersion(): Promise<string> {
  const [row] = await queryPrepared<{ version: string }>('SELECT "version"::text AS "version" FROM "CatalogueVersion" WHERE "id" = 1', []);
  return row?.version ?? '0';
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
