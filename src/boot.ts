import { Car } from './models';
import { closeDatabase, connectDatabase, getSequelize } from './db/sequelize';
import { resolveDatabase, type DatabaseTarget } from './db/database-url';
import { migrateUp } from './db/migrate';
import { logger } from './logger';

/** Connects, starting the embedded PostgreSQL if needed (or reusing a running one). */
export async function openDatabaseWithoutMigrating(): Promise<DatabaseTarget> {
  const target = await resolveDatabase();
  connectDatabase(target.url);
  return target;
}

/** Connects and migrates. */
export async function openDatabase(): Promise<DatabaseTarget> {
  const target = await openDatabaseWithoutMigrating();
  const applied = await migrateUp(getSequelize());
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  return target;
}

export async function shutdownDatabase(target: DatabaseTarget | undefined): Promise<void> {
  await closeDatabase().catch((err: unknown) => logger.warn({ err }, 'closing the pool failed'));
  if (target?.embedded?.owned) await target.embedded.stop();
}

export async function carCount(): Promise<number> {
  return Car.count();
}
