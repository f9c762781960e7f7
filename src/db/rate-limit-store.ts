import { QueryTypes } from 'sequelize';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { getSequelize } from './sequelize';

/** The table made by the `create-rate-limits` migration. */
const TABLE = 'RateLimits';

interface Query {
  text: string;
  values?: unknown[];
}

/**
 * What RateLimiterPostgres calls on a plain `pg` client, served by the app's Sequelize
 * pool: resolved at each query, so it can be built before the database is connected,
 * and a database that is down fails like any other query here (503).
 */
const sequelizeClient = {
  async query({ text, values }: Query): Promise<{ rows: object[]; rowCount: number }> {
    const rows = await getSequelize().query<object>(text, { bind: values, type: QueryTypes.SELECT, raw: true });
    return { rows, rowCount: rows.length };
  },
};

/** Counters shared by every instance on the database; `keyPrefix` keeps each rule's keys apart. */
export function postgresCounterStore(keyPrefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: sequelizeClient,
    storeType: 'client',
    tableName: TABLE,
    tableCreated: true,
    keyPrefix,
    points,
    duration: durationSeconds,
  });
}
