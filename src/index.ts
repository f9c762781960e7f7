import { carCount, forceStopDatabase, migrateDatabase, openDatabaseWithoutMigrating, shutdownDatabase } from './boot';
import { config } from './config';
import type { DatabaseTarget } from './db/database-url';
import { importCatalogueAtStartup } from './importer';
import { flushLogger, logger } from './logger';
import { startServer, type RunningServer } from './server';

/**
 * The whole shutdown (the delay, in-flight requests, closing sockets and the embedded
 * PostgreSQL) ends within this: the contract's SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 5 s,
 * less a second to flush the logs and exit.
 */
const HARD_STOP_MS = config.SHUTDOWN_DELAY_MS + config.SHUTDOWN_TIMEOUT_MS + 4000;

const state: { target?: Promise<DatabaseTarget>; database?: DatabaseTarget; server?: RunningServer; stopping?: Promise<void> } = {};

async function main(): Promise<void> {
  state.target = openDatabaseWithoutMigrating();
  state.database = await state.target;
  await migrateDatabase();
  if (state.stopping) return;
  if ((await carCount()) === 0) {
    logger.info('the car catalogue is empty: importing it before serving');
    const summary = await importCatalogueAtStartup({ log: logger });
    logger.info({ summary }, 'car catalogue imported');
  }
  if (state.stopping) return;
  const server = await startServer({ port: config.PORT, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  if (state.stopping) await server.stop();
  else state.server = server;
}

/**
 * `/readyz` turns 503 at once; after SHUTDOWN_DELAY_MS (a load balancer has stopped sending)
 * stops accepting, lets in-flight requests finish (at most SHUTDOWN_TIMEOUT_MS), closes the
 * server (and its sockets) before the pool, stops an embedded PostgreSQL, flushes the logs.
 */
async function stop(reason: string, code: number): Promise<void> {
  logger.info({ reason, delayMs: config.SHUTDOWN_DELAY_MS }, 'shutting down');
  const hardStop = setTimeout(() => {
    logger.error({ afterMs: HARD_STOP_MS }, 'shutdown is taking too long: stopping now');
    forceStopDatabase(state.database);
    process.exit(code || 1);
  }, HARD_STOP_MS);
  hardStop.unref();
  let exitCode = code;
  state.server?.beginShutdown();
  if (state.server && config.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DELAY_MS));
  try {
    await state.server?.stop();
  } catch (err) {
    logger.error({ err }, 'closing the server failed');
    exitCode ||= 1;
  }
  // Wait for an embedded PostgreSQL that is still starting, so it is never left behind.
  const database = await state.target?.catch(() => undefined);
  await shutdownDatabase(database);
  logger.info({ code: exitCode }, 'stopped');
  await flushLogger();
  process.exit(exitCode);
}

function shutdown(reason: string, code: number): void {
  if (state.stopping) {
    logger.warn({ reason }, 'already shutting down');
    return;
  }
  state.stopping = stop(reason, code);
}

process.on('SIGTERM', () => shutdown('SIGTERM', 0));
process.on('SIGINT', () => shutdown('SIGINT', 0));
process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  shutdown('uncaughtException', 1);
});
process.on('unhandledRejection', (err) => {
  logger.fatal({ err }, 'unhandled rejection');
  shutdown('unhandledRejection', 1);
});

main().catch((err: unknown) => {
  logger.fatal({ err }, 'failed to start');
  shutdown('startup failure', 1);
});
