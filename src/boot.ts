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

/** Applies pending migrations on the connected database. */
export async function migrateDatabase(): Promise<void> {
  const applied = await migrateUp(getSequelize());
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
}

/** Connects and migrates. */
export async function openDatabase(): Promise<DatabaseTarget> {
  const target = await openDatabaseWithoutMigrating();
  await migrateDatabase();
  return target;
}

/** Closes the pool, then stops the embedded PostgreSQL if this process started it. */
export async function shutdownDatabase(target: DatabaseTarget | undefined): Promise<void> {
  await closeDatabase().catch((err: unknown) => logger.warn({ err }, 'closing the pool failed'));
  if (target?.embedded?.owned) {
    await target.embedded.stop();
    logger.info('embedded PostgreSQL stopped');
  }
}

/** Last resort when a shutdown hangs: PostgreSQL's immediate shutdown, so no server is left running. */
export function forceStopDatabase(target: DatabaseTarget | undefined): void {
  if (!target?.embedded?.owned || !target.embedded.pid) return;
  try {
    process.kill(target.embedded.pid, 'SIGQUIT');
  } catch {
    // already gone
  }
}

export async function carCount(): Promise<number> {
  return Car.count();
}
