import { Router } from 'express';
import { config } from '../config';
import { getSequelize } from '../db/sequelize';
import { AppError } from '../errors';
import { validate } from '../middleware/validate';

export const healthRouter = Router();

healthRouter.get('/healthz', validate({}), (_req, res) => {
  res.json({ status: 'ok' });
});

/** Resolves when the database answers `SELECT 1`, rejects after `ms` (the query may still be waiting for a connection). */
async function pingDatabase(ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('ping timeout')), ms);
  });
  try {
    await Promise.race([getSequelize().query('SELECT 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ready when the database answers a ping within READY_TIMEOUT_MS (default one second). */
healthRouter.get('/readyz', validate({}), async (_req, res) => {
  try {
    await pingDatabase(config.READY_TIMEOUT_MS);
  } catch {
    throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database is not reachable');
  }
  res.json({ status: 'ready' });
});
