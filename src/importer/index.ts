import { DEFAULT_PAGE_SIZE, fetchAllRows } from './fetch-all';
import { emptySummary, importRawRows, type ImportSummary } from './import-rows';
import { createParseClient, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, sourceFromConfig, type ParseClientOptions } from './parse-client';
import { logProgress, type ImportLog, type ImportProgress } from './progress';
import { readSnapshot, SNAPSHOT_FILE } from './snapshot';
import { isUnreachable } from './source-error';

/**
 * - `auto`: Back4App, or the bundled snapshot when Back4App cannot be reached at all;
 * - `back4app`: Back4App only (`--source=back4app`);
 * - `offline`: the bundled snapshot only (`--offline`).
 */
export type ImportMode = 'auto' | 'offline' | 'back4app';

export interface ImportOptions {
  mode: ImportMode;
  log: ImportLog;
  snapshotFile?: string;
  /** Overrides of the Back4App settings from the configuration (URL, class, keys, timeouts, retries). */
  source?: Partial<ParseClientOptions>;
  /** Rows per request, 1–1000. */
  pageSize?: number;
  /** Defaults to one log line per page. */
  progress?: ImportProgress;
}

export interface ImportResult extends ImportSummary {
  source: 'back4app' | 'snapshot';
  /** Why the snapshot was imported although Back4App was asked first. */
  fallbackReason?: string;
}

async function importSnapshot(options: ImportOptions, fallbackReason?: string): Promise<ImportResult> {
  const file = options.snapshotFile ?? SNAPSHOT_FILE;
  const rows = await readSnapshot(file);
  options.log.info({ rows: rows.length, file }, 'importing the bundled Back4App snapshot');
  const summary = await importRawRows(rows, emptySummary());
  return { ...summary, source: 'snapshot', ...(fallbackReason ? { fallbackReason } : {}) };
}

async function importBack4App(options: ImportOptions): Promise<ImportResult> {
  const client = createParseClient({
    ...sourceFromConfig(),
    timeoutMs: DEFAULT_TIMEOUT_MS,
    retry: DEFAULT_RETRY,
    onRetry: ({ attempt, reason, delayMs }) =>
      options.log.warn({ attempt, reason, delayMs }, `Back4App request failed (${reason}); retry ${attempt} in ${delayMs} ms`),
    ...options.source,
  });
  // Everything is fetched before anything is written: a failure half-way changes nothing.
  const { rows, total } = await fetchAllRows(client, options.pageSize ?? DEFAULT_PAGE_SIZE, options.progress ?? logProgress(options.log));
  if (total !== undefined && total !== rows.length)
    options.log.warn({ total, fetched: rows.length }, 'Back4App announced a different row count than it served');
  options.log.info({ rows: rows.length }, 'importing the rows fetched from Back4App');
  const summary = await importRawRows(rows, emptySummary());
  return { ...summary, source: 'back4app' };
}

/** Imports the car catalogue: validated, upserted on `objectId` in transactional batches. */
export async function importCars(options: ImportOptions): Promise<ImportResult> {
  if (options.mode === 'offline') return importSnapshot(options);
  try {
    return await importBack4App(options);
  } catch (err) {
    if (options.mode !== 'auto' || !isUnreachable(err)) throw err;
    options.log.warn({ reason: err.message }, 'Back4App cannot be reached: importing the bundled snapshot instead');
    return importSnapshot(options, err.message);
  }
}

export { ImportSourceError } from './source-error';
export type { ImportSummary, ImportLog, ImportProgress };

/**
 * What `npm start` runs on an empty catalogue: Back4App first, and the bundled snapshot
 * whenever that fails for any reason (bad keys, an outage), so the API always comes up
 * with its cars. `npm run seed` keeps the stricter behaviour and reports the failure.
 */
export async function importCatalogueAtStartup(options: Omit<ImportOptions, 'mode'>): Promise<ImportResult> {
  try {
    return await importCars({ ...options, mode: 'auto' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    options.log.error({ reason }, 'importing from Back4App failed: importing the bundled snapshot instead');
    return importSnapshot({ ...options, mode: 'offline' }, reason);
  }
}
