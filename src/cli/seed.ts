import { openDatabase, shutdownDatabase } from '../boot';
import { importCars, type ImportMode } from '../importer';
import { logger } from '../logger';

/** `npm run seed [-- --offline | --source=back4app]`: imports the car catalogue. */
function modeFrom(argv: string[]): ImportMode {
  if (argv.includes('--offline')) return 'offline';
  if (argv.includes('--source=back4app')) return 'back4app';
  return 'auto';
}

async function main(): Promise<number> {
  const target = await openDatabase();
  try {
    const summary = await importCars({ mode: modeFrom(process.argv.slice(2)), log: logger });
    logger.info({ summary }, 'import finished');
    return 0;
  } finally {
    await shutdownDatabase(target);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    logger.fatal({ err }, 'seed failed');
    process.exit(1);
  },
);
