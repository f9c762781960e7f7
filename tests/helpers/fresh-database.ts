import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateUp } from '../../src/db/migrate';
import { closeDatabase, getSequelize } from '../../src/db/sequelize';

export interface FreshDatabase {
  /** The new database's URL, also in `process.env.DATABASE_URL` while this file runs. */
  url: string;
}

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Gives this test file its own migrated database on the test server, for tests that
 * count every row of a table (the shared test database holds other files' rows).
 * Call it at the top level of the file: it points `DATABASE_URL` at the new database
 * before the per-file setup connects (lazily), creates and migrates it in a `beforeAll`,
 * and drops it in an `afterAll`. The models bind to one connection per file, so a file
 * uses either this database or the shared one, never both.
 */
export function useFreshDatabase(prefix = 'import_test'): FreshDatabase {
  const sharedUrl = process.env.DATABASE_URL;
  if (!sharedUrl) throw new Error('DATABASE_URL is not set: the jest global setup did not run');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const url = new URL(sharedUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();

  beforeAll(async () => {
    await onServer(sharedUrl, `CREATE DATABASE "${name}"`);
    await migrateUp(getSequelize());
  });

  afterAll(async () => {
    await closeDatabase();
    await onServer(sharedUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    process.env.DATABASE_URL = sharedUrl;
  });

  return { url: url.toString() };
}
