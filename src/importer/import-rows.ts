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
  return summary;
}
