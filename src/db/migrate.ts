import { readdirSync } from 'node:fs';
import * as SequelizeLib from 'sequelize';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { logger } from '../logger';
import { MIGRATIONS_DIR } from '../paths';

interface MigrationModule {
  up(queryInterface: QueryInterface, lib: typeof SequelizeLib): Promise<void>;
  down(queryInterface: QueryInterface, lib: typeof SequelizeLib): Promise<void>;
}

/**
 * The same migration files sequelize-cli runs, driven by umzug so `npm start` and the
 * tests can migrate without a separate process. Both record progress in "SequelizeMeta".
 */
export function createMigrator(sequelize: Sequelize) {
  const compiled = __filename.endsWith('.js');
  const dir = MIGRATIONS_DIR;
  // A build that lost its migrations would otherwise "apply nothing" and serve a schema-less database.
  const files = readdirSync(dir).filter((f) => f.endsWith(compiled ? '.js' : '.ts') && !f.endsWith('.d.ts'));
  if (files.length === 0) throw new Error(`No migrations found in ${dir}`);
  return new Umzug<QueryInterface>({
    migrations: {
      glob: ['*.{js,ts}', { cwd: dir, ignore: ['*.d.ts', compiled ? '*.ts' : '*.js'] }],
      resolve: ({ name, path: file, context }) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const migration = require(file as string) as MigrationModule;
        return { name, up: () => migration.up(context, SequelizeLib), down: () => migration.down(context, SequelizeLib) };
      },
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize }),
    logger: { info: (m) => logger.debug(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m), debug: () => undefined },
  });
}

export async function migrateUp(sequelize: Sequelize): Promise<string[]> {
  // Serialise concurrent migrators (two instances booting at once): the lock lives as
  // long as this transaction, whose connection only holds it while others migrate.
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(727274)', { transaction });
    const done = await createMigrator(sequelize).up();
    return done.map((m) => m.name);
  });
}
