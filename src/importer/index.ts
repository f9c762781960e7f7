import type { Logger } from 'pino';
import { emptySummary, importRawRows, type ImportSummary } from './import-rows';
import { readSnapshot } from './snapshot';

export type ImportMode = 'auto' | 'offline' | 'back4app';

export interface ImportOptions {
  mode: ImportMode;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  snapshotFile?: string;
}

export interface ImportResult extends ImportSummary {
  source: 'back4app' | 'snapshot';
}

/** Imports the car catalogue. (Back4App paging arrives with the import issue; until then the snapshot.) */
export async function importCars(options: ImportOptions): Promise<ImportResult> {
  const rows = await readSnapshot(options.snapshotFile);
  options.log.info({ rows: rows.length }, 'importing the bundled Back4App snapshot');
  const summary = await importRawRows(rows, emptySummary());
  return { ...summary, source: 'snapshot' };
}

export type { ImportSummary };
