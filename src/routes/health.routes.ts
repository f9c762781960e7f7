import type { Express, Request, Response } from 'express';
import { z } from 'zod';
import { config } from '../config';
import { getSequelize } from '../db/sequelize';
import { AppError } from '../errors';
import { defineEndpoint, json, problem } from './endpoint';

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
async function ready(req: Request, res: Response): Promise<void> {
  if (req.app.locals[SHUTTING_DOWN] === true) throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The server is shutting down');
  try {
    await pingDatabase(config.READY_TIMEOUT_MS);
  } catch {
    throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database is not reachable');
  }
  res.json({ status: 'ready' });
}

const tags: [string] = ['operations'];

export const healthEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/healthz',
    access: 'public',
    tags,
    summary: 'Liveness: 200 while the process runs',
    responses: { 200: json(z.strictObject({ status: z.literal('ok') }), 'Up.') },
    handler: (_req, res) => {
      res.json({ status: 'ok' });
    },
  }),
  defineEndpoint({
    method: 'get',
    path: '/readyz',
    access: 'public',
    tags,
    summary: 'Readiness: 200 when the database answers a ping within a second',
    responses: { 200: json(z.strictObject({ status: z.literal('ready') }), 'Ready.'), 503: problem },
    handler: ready,
  }),
];
