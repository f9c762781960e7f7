import { Router, type Express } from 'express';
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

const SHUTTING_DOWN = 'shuttingDown';

/** From SIGTERM on, `/readyz` answers 503 so a load balancer stops sending here. */
export function markShuttingDown(app: Express): void {
  app.locals[SHUTTING_DOWN] = true;
}

/** Ready when the database answers a ping within READY_TIMEOUT_MS (default one second), and not shutting down. */
healthRouter.get('/readyz', validate({}), async (req, res) => {
  if (req.app.locals[SHUTTING_DOWN] === true) throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The server is shutting down');
  try {
    await pingDatabase(config.READY_TIMEOUT_MS);
  } catch {
    throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database is not reachable');
  }
  res.json({ status: 'ready' });
});
