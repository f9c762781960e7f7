import type { ParseClient } from './parse-client';
import type { ImportProgress } from './progress';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 1000;

export interface FetchedRows {
  rows: unknown[];
  /** What the source announced with `count=1`, if it did. */
  total?: number;
}

const idOf = (row: unknown): unknown => (typeof row === 'object' && row !== null ? (row as { objectId?: unknown }).objectId : undefined);

/**
 * Pages through the class (`limit`/`skip`, ordered by `objectId`) until a short page.
 * A row seen twice (the class changed under us and a page shifted) is kept once, and a
 * full page with nothing new ends the loop, so a source that ignores `skip` cannot spin forever.
 */
export async function fetchAllRows(client: ParseClient, pageSize: number, progress: ImportProgress): Promise<FetchedRows> {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`The page size must be an integer from 1 to ${MAX_PAGE_SIZE}, not ${pageSize}`);
  }
  const rows: unknown[] = [];
  const seen = new Set<unknown>();
  let total: number | undefined;
  try {
    for (let skip = 0; ; skip += pageSize) {
      const page = await client.fetchPage({ limit: pageSize, skip, withCount: skip === 0 });
      if (skip === 0) progress.start((total = page.count));
      const fresh = page.results.filter((row) => {
        const id = idOf(row);
        if (typeof id !== 'string') return true;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      rows.push(...fresh);
      progress.update(rows.length);
      if (page.results.length < pageSize || fresh.length === 0) break;
    }
  } finally {
    progress.stop();
  }
  return { rows, total };
}
