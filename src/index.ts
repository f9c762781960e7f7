import { carCount, openDatabase, shutdownDatabase } from './boot';
import { config } from './config';
import type { DatabaseTarget } from './db/database-url';
import { importCatalogueAtStartup } from './importer';
import { logger } from './logger';
import { startServer, type RunningServer } from './server';

let database: DatabaseTarget | undefined;
let server: RunningServer | undefined;
let stopping = false;

async function main(): Promise<void> {
  database = await openDatabase();
  if ((await carCount()) === 0) {
    logger.info('the car catalogue is empty: importing it before serving');
    const summary = await importCatalogueAtStartup({ log: logger });
    logger.info({ summary }, 'car catalogue imported');
  }
  server = await startServer({ port: config.PORT, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
}

async function shutdown(reason: string, code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, 'shutting down');
  const hardStop = setTimeout(() => process.exit(code || 1), 15_000);
  hardStop.unref();
  try {
    await server?.stop();
    await shutdownDatabase(database);
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    code = code || 1;
  }
  logger.flush();
  process.exit(code);
}

process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  void shutdown('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  void shutdown('unhandledRejection', 1);
});

main().catch((err: unknown) => {
  logger.fatal({ err }, 'failed to start');
  void shutdown('startup failure', 1);
});
