import { openDatabaseWithoutMigrating, shutdownDatabase } from '../boot';
import { createMigrator, migrateUp } from '../db/migrate';
import { getSequelize } from '../db/sequelize';
import { logger } from '../logger';

/** `npm run db:migrate` (up) and `npm run db:migrate:undo` (the last one down). */
async function main(direction: string | undefined): Promise<void> {
  const target = await openDatabaseWithoutMigrating();
  try {
    if (direction === 'down') {
      const undone = await createMigrator(getSequelize()).down();
      logger.info({ undone: undone.map((m) => m.name) }, 'migration undone');
    } else {
      const applied = await migrateUp(getSequelize());
      logger.info({ applied }, applied.length ? 'migrations applied' : 'already up to date');
    }
  } finally {
    await shutdownDatabase(target);
  }
}

main(process.argv[2]).then(
  () => process.exit(0),
  (err: unknown) => {
    logger.fatal({ err }, 'migration failed');
    process.exit(1);
  },
);
