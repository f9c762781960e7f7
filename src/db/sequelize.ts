import { Sequelize } from 'sequelize';
import { config } from '../config';
import { logger } from '../logger';
import { initModels } from '../models';

let current: Sequelize | undefined;
let currentUrl: string | undefined;

/**
 * Opens the one connection pool of this process and initialises the models on it.
 * Timeouts are short on purpose: with the database down a request fails in about two
 * seconds with 503 instead of hanging.
 */
export function connectDatabase(url: string): Sequelize {
  if (current) return current;
  currentUrl = url;
  current = new Sequelize(url, {
    dialect: 'postgres',
    logging: (sql) => logger.trace({ sql }, 'sql'),
    pool: { max: config.DB_POOL_MAX, min: 0, acquire: config.DB_ACQUIRE_TIMEOUT_MS, idle: 10_000, evict: 5_000 },
    dialectOptions: {
      connectionTimeoutMillis: config.DB_ACQUIRE_TIMEOUT_MS,
      statement_timeout: config.DB_STATEMENT_TIMEOUT_MS,
      // Client-side bound for a server that accepts but never answers (hung, frozen, network gone):
      // statement_timeout is enforced by the server, so it cannot help there.
      query_timeout: config.DB_STATEMENT_TIMEOUT_MS + 1000,
      keepAlive: true,
      idle_in_transaction_session_timeout: 30_000,
      application_name: 'car-community-api',
    },
    define: { freezeTableName: true },
  });
  initModels(current);
  return current;
}

export function getSequelize(): Sequelize {
  if (!current) throw new Error('The database is not connected: call connectDatabase() first');
  return current;
}

/** The URL the pool was opened with, for the few clients that need their own connection (Socket.IO's adapter). */
export function connectedDatabaseUrl(): string {
  if (!currentUrl) throw new Error('The database is not connected: call connectDatabase() first');
  return currentUrl;
}

export async function closeDatabase(): Promise<void> {
  const sequelize = current;
  current = undefined;
  currentUrl = undefined;
  if (sequelize) await sequelize.close();
}
