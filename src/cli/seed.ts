import { openDatabase, shutdownDatabase } from '../boot';
import { config } from '../config';
import type { DatabaseTarget } from '../db/database-url';
import { seedCatalogue } from '../importer/seed-catalogue';
import { logger } from '../logger';
import { adminCredentialsFrom, ensureSuperadmin, type AdminCredentials } from '../services/users/admin-bootstrap.service';
import { parseSeedArgs, SEED_USAGE, UsageError, type SeedArgs } from './seed-args';

/**
 * `npm run seed [-- --offline | --source=back4app]`: imports the car catalogue, then
 * ensures the superadmin of ADMIN_EMAIL/ADMIN_PASSWORD. The summary goes to stdout,
 * the progress bar (on a terminal) and errors to stderr, the JSON log to stdout.
 */
async function seed(args: SeedArgs, admin: AdminCredentials | undefined): Promise<void> {
  let target: DatabaseTarget | undefined;
  try {
    target = await openDatabase();
    await seedCatalogue({ mode: args.mode, pageSize: args.pageSize, log: logger });
    if (admin) {
      const outcome = await ensureSuperadmin(admin);
      logger.info({ userId: outcome.userId, action: outcome.action }, 'superadmin ensured');
      process.stdout.write(`Superadmin ${outcome.email} (username ${outcome.username}): ${outcome.action}\n`);
    }
  } finally {
    await shutdownDatabase(target);
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseSeedArgs(argv);
  if (args.help) {
    process.stdout.write(SEED_USAGE);
    return 0;
  }
  // On a terminal the progress bar and the summary speak; the JSON log keeps to warnings.
  if (process.stdout.isTTY && !process.env.LOG_LEVEL) logger.level = 'warn';
  // Checked before anything is written: a bad ADMIN_PASSWORD must not leave a half-done seed.
  const admin = adminCredentialsFrom(config);
  await seed(args, admin);
  return 0;
}

function reportFailure(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${SEED_USAGE}`);
    return 2;
  }
  logger.error({ err }, 'seed failed');
  process.stderr.write(`Seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const code = reportFailure(err);
    logger.flush();
    process.exit(code);
  },
);
