import { QueryTypes, type Transaction } from 'sequelize';
import { getSequelize } from '../db/sequelize';
import type { CarRow } from './car-row';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Inserts new cars and updates changed ones in one statement; rows identical to what is
 * stored are left untouched (not even `updatedAt`), so a re-run changes nothing.
 */
export async function upsertCars(rows: CarRow[], transaction?: Transaction): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const unique = [...new Map(rows.map((r) => [r.objectId, r])).values()];
  const values: unknown[] = [];
  const tuples = unique.map((r, i) => {
    values.push(r.objectId, r.make, r.model, r.year, r.category);
    const b = i * 5;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::int, $${b + 5}, now(), now())`;
  });
  const sql = `
    INSERT INTO "Cars" ("objectId", "make", "model", "year", "category", "createdAt", "updatedAt")
    VALUES ${tuples.join(', ')}
    ON CONFLICT ("objectId") DO UPDATE SET
      "make" = EXCLUDED."make", "model" = EXCLUDED."model", "year" = EXCLUDED."year",
      "category" = EXCLUDED."category", "updatedAt" = now()
    WHERE ("Cars"."make", "Cars"."model", "Cars"."year", "Cars"."category")
      IS DISTINCT FROM (EXCLUDED."make", EXCLUDED."model", EXCLUDED."year", EXCLUDED."category")
    RETURNING (xmax = 0) AS inserted`;
  const result = await getSequelize().query<{ inserted: boolean }>(sql, { bind: values, type: QueryTypes.SELECT, transaction });
  const inserted = result.filter((r) => r.inserted).length;
  const updated = result.length - inserted;
  return { inserted, updated, unchanged: rows.length - inserted - updated };
}
