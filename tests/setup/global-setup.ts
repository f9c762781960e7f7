import { TEST_TMP } from './test-env';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrateUp } from '../../src/db/migrate';
import { closeDatabase, connectDatabase } from '../../src/db/sequelize';

declare global {
  var __TEST_PG__: EmbeddedPostgres | undefined;
  var __TEST_TMP__: string | undefined;
}

/**
 * Brings up PostgreSQL for the whole run — `DATABASE_URL` when set, else an embedded
 * server in a temp dir on a free port — and runs the real migrations once.
 */
export default async function globalSetup(): Promise<void> {
  globalThis.__TEST_TMP__ = TEST_TMP;
  if (!process.env.DATABASE_URL) {
    const dir = path.join(TEST_TMP, 'pg');
    const pg = await startEmbeddedPostgres({ dir, database: 'car_community_test' });
    globalThis.__TEST_PG__ = pg;
    process.env.DATABASE_URL = pg.url;
    process.env.TEST_EMBEDDED_PG_DIR = dir;
  }
  await migrateUp(connectDatabase(process.env.DATABASE_URL));
  await closeDatabase();
}
