import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { postgresCounterStore } from '../db/rate-limit-store';
import { AppError } from '../errors';
import { sessionIdOfRefreshToken } from '../services/auth/session.service';
import { principalOf } from './authenticate';
import type { RateLimits } from './rate-limit';

type KeyOf = (req: Request, res: Response) => Promise<string | undefined> | string | undefined;

/**
 * Every request with a key uses one point of `points` per `durationSeconds` for that key,
 * whatever its outcome; over it, 429 RATE_LIMITED with Retry-After, logged with the request
 * id. A request without a key (a refresh token that names no session) is not counted: the
 * handler refuses it anyway. Counters live per RATE_LIMIT_STORE (postgres: shared by instances).
 */
function budget(limits: RateLimits, name: string, points: number, durationSeconds: number, keyOf: KeyOf) {
  const keyPrefix = `${limits.namespace}:${name}`;
  const store: RateLimiterAbstract =
    limits.store === 'postgres'
      ? postgresCounterStore(keyPrefix, points, durationSeconds)
      : new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = await keyOf(req, res);
    if (key === undefined) return next();
    try {
      await store.consume(key);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      req.log.warn({ budget: name, limit: points, windowSeconds: durationSeconds }, 'request refused: over its budget');
      throw AppError.rateLimited(err.msBeforeNext / 1000);
    }
    next();
  };
}

function refreshTokenOf(req: Request): string | undefined {
  const token: unknown = (req.body as { refresh_token?: unknown } | undefined)?.refresh_token;
  return typeof token === 'string' ? token : undefined;
}

/** The budgets of contract §9 on single routes (after validation, so the body is known good). */
export function createRequestBudgets(limits: RateLimits) {
  return {
    /** `POST /token/refresh`: REFRESH_MAX_PER_MINUTE per session. */
    refresh: budget(limits, 'refresh', limits.refreshPerMinute, 60, async (req) => {
      const token = refreshTokenOf(req);
      const sessionId = token ? await sessionIdOfRefreshToken(token) : undefined;
      return sessionId && `session:${sessionId}`;
    }),
    /** `PUT /user/:id`: PROFILE_UPDATES_PER_HOUR per caller. */
    profileUpdate: budget(limits, 'profile-update', limits.profileUpdatesPerHour, 3600, (_req, res) => `user:${principalOf(res).userId}`),
    /** `POST /reports`: REPORTS_PER_HOUR per reporter, so reports cannot flood the moderators' queue. */
    report: budget(limits, 'report', limits.reportsPerHour, 3600, (_req, res) => `user:${principalOf(res).userId}`),
  };
}

export type RequestBudgets = ReturnType<typeof createRequestBudgets>;
