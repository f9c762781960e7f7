import { QueryTypes } from 'sequelize';
import { getSequelize } from '../src/db/sequelize';

export interface StoreCheck {
  /** acked `ok` but no row with that id and clientId */
  lost: number;
  /** a clientId stored more than once, or one message id acked for two sends */
  duplicated: number;
  /** acked `{ ok: false }` yet stored */
  storedDespiteFailure: number;
  /** rows this run stored in all */
  rows: number;
}

function counts<T>(items: T[]): Map<T, number> {
  const map = new Map<T, number>();
  for (const item of items) map.set(item, (map.get(item) ?? 0) + 1);
  return map;
}

/** Reads back every message this run sent (by its unique clientId) and compares with the acks. */
export async function verifyStored(acked: { id: number; clientId: string }[], sent: string[], failedClientIds: string[]): Promise<StoreCheck> {
  const rows = await getSequelize().query<{ id: number; clientId: string }>(
    'SELECT "id", "clientId" FROM "Messages" WHERE "clientId" = ANY($1::text[])',
    { bind: [sent], type: QueryTypes.SELECT },
  );
  const stored = new Map(rows.map((r) => [r.id, r.clientId]));
  const perClientId = counts(rows.map((r) => r.clientId));
  const perAckedId = counts(acked.map((a) => a.id));
  const failed = new Set(failedClientIds);
  return {
    lost: acked.filter((a) => stored.get(a.id) !== a.clientId).length,
    duplicated:
      [...perClientId.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0) +
      [...perAckedId.values()].filter((n) => n > 1).reduce((sum, n) => sum + n - 1, 0),
    storedDespiteFailure: rows.filter((r) => failed.has(r.clientId)).length,
    rows: rows.length,
  };
}
