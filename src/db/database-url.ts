import path from 'node:path';
import { config } from '../config';
import { logger } from '../logger';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

export interface DatabaseTarget {
  url: string;
  embedded?: EmbeddedPostgres;
}

/** `DATABASE_URL` when set; otherwise the embedded server in `EMBEDDED_PG_DIR` (started, or reused if running). */
export async function resolveDatabase(): Promise<DatabaseTarget> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const dir = path.resolve(config.EMBEDDED_PG_DIR);
  const embedded = await startEmbeddedPostgres({ dir, onLog: (line) => logger.debug({ postgres: line.trim() }, 'embedded postgres') });
  logger.info({ dir, reused: !embedded.owned }, embedded.owned ? 'embedded PostgreSQL started' : 'using the embedded PostgreSQL already running');
  return { url: embedded.url, embedded };
}
