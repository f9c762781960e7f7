import { config } from '../config';
import { logger } from '../logger';
import { purgeTombstones } from '../services/chat/change-feed.service';

/** How often an instance purges old tombstones (each instance does; the delete is idempotent). */
const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Deleted messages stay as tombstones for CHAT_TOMBSTONE_RETENTION_HOURS so a client that
 * reconnects with an older offset still learns of the delete; older ones are removed
 * hourly. Returns the stop function.
 */
export function startTombstonePurge(retentionMs = config.CHAT_TOMBSTONE_RETENTION_HOURS * 3_600_000): () => void {
  const timer = setInterval(() => {
    purgeTombstones(retentionMs)
      .then((purged) => {
        if (purged > 0) logger.info({ purged }, 'purged old message tombstones');
      })
      .catch((err: unknown) => logger.warn({ err }, 'tombstone purge failed'));
  }, PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
