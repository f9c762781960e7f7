import type { QueryInterface } from 'sequelize';
import { closeDatabase, connectDatabase } from '../src/db/sequelize';
import { seedCatalogue } from '../src/importer/seed-catalogue';
import { readSnapshot, SNAPSHOT_FILE } from '../src/importer/snapshot';
import { logger } from '../src/logger';

/**
 * `npx sequelize-cli db:seed:all` (with DATABASE_URL): the same import as `npm run seed` —
 * Back4App (BACK4APP_* variables), or the bundled snapshot when it cannot be reached —
 * upserting on objectId, so running it again changes nothing.
 */
export async function up(queryInterface: QueryInterface): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: the seeder imports into that database');
  // The importer works through the application's models, bound to their own pool.
  await queryInterface.sequelize.authenticate();
  connectDatabase(url);
  try {
    await seedCatalogue({ mode: 'auto', log: logger });
  } finally {
    await closeDatabase();
  }
}

/** Removes the cars of the bundled dataset (and, by cascade, favorites of them). */
export async function down(queryInterface: QueryInterface): Promise<void> {
  const objectIds = (await readSnapshot(SNAPSHOT_FILE))
    .map((row) => (typeof row === 'object' && row !== null && 'objectId' in row ? row.objectId : undefined))
    .filter((id): id is string => typeof id === 'string');
  await queryInterface.bulkDelete('Cars', { objectId: objectIds });
}
