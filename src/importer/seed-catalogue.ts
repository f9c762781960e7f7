import type { Logger } from '../logger';
import { importCars, type ImportMode, type ImportResult } from './index';
import { defaultProgress } from './progress';
import { formatImportSummary } from './summary';

/**
 * The catalogue import as `npm run seed` and the Sequelize seeder (`npx sequelize-cli
 * db:seed:all`) both run it: Back4App page by page (or the bundled snapshot), a progress
 * display, the summary on stdout. The database must be connected.
 */
export async function seedCatalogue(options: { mode: ImportMode; pageSize?: number; log: Logger }): Promise<ImportResult> {
  const result = await importCars({ mode: options.mode, pageSize: options.pageSize, log: options.log, progress: defaultProgress(options.log) });
  options.log.info({ summary: result }, 'car import finished');
  process.stdout.write(formatImportSummary(result));
  return result;
}
