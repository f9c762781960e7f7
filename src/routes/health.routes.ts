import { Router } from 'express';
import { getSequelize } from '../db/sequelize';
import { AppError } from '../errors';
import { validate } from '../middleware/validate';

export const healthRouter = Router();

healthRouter.get('/healthz', validate({}), (_req, res) => {
  res.json({ status: 'ok' });
});

/** Ready when the database answers a ping within a second. */
healthRouter.get('/readyz', validate({}), async (_req, res) => {
  try {
    await Promise.race([
      getSequelize().query('SELECT 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('ping timeout')), 1000).unref()),
    ]);
  } catch {
    throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database is not reachable');
  }
  res.json({ status: 'ready' });
});
