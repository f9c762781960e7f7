import { getSequelize } from '../db/sequelize';
import { toCarRow, type CarRow } from './car-row';
import { upsertCars, type UpsertCounts } from './upsert';

export interface ImportSummary extends UpsertCounts {
  fetched: number;
  skipped: number;
}

export function emptySummary(): ImportSummary {
  return { fetched: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0 };
}

export const BATCH_SIZE = 500;

/** Validates raw rows and upserts the good ones in transactional batches; bad rows are counted, never stored. */
export async function importRawRows(raw: unknown[], summary: ImportSummary = emptySummary()): Promise<ImportSummary> {
  summary.fetched += raw.length;
  const good: CarRow[] = [];
  for (const r of raw) {
    const row = toCarRow(r);
    if (row) good.push(row);
    else summary.skipped += 1;
  }
  for (let i = 0; i < good.length; i += BATCH_SIZE) {
    const batch = good.slice(i, i + BATCH_SIZE);
    const counts = await getSequelize().transaction((transaction) => upsertCars(batch, transaction));
    summary.inserted += counts.inserted;
    summary.updated += counts.updated;
    summary.unchanged += counts.unchanged;
  }
  if (summary.inserted + summary.updated > 0) await refreshPlannerStatistics();
  return summary;
}

/**
 * Right after a bulk import the planner has no statistics for the new rows (autovacuum
 * gets to them a minute or more later): with none, the `lower("make")` filter was planned
 * badly enough to make filtered lists about 3x slower. ANALYZE takes well under a second.
 */
async function refreshPlannerStatistics(): Promise<void> {
  await getSequelize().query('ANALYZE "Cars"');
}
