import type { Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { config } from '../config';
import { postgresCounterStore } from '../db/rate-limit-store';
import { AppError } from '../errors';
import { AttemptLimiter, BudgetSpent } from '../services/auth/attempt.limiter';
import { principalOf } from './authenticate';
import { toAppError } from './error-handler';

/** The brute-force limits; tests build apps with small ones. */
export interface RateLimits {
  loginMaxFailures: number;
  loginWindowMs: number;
  registerMaxPerHour: number;
  /** RATE_LIMIT_STORE: this process's memory, or the database shared by every instance. */
  store: 'memory' | 'postgres';
  /** Prefixes every counter's key: instances that share counts share it (tests keep theirs apart). */
  namespace: string;
  /** `POST /token/refresh` per session and minute (REFRESH_MAX_PER_MINUTE). */
  refreshPerMinute: number;
  /** `PUT /user/:id` per caller and hour (PROFILE_UPDATES_PER_HOUR). */
  profileUpdatesPerHour: number;
  /** `POST /reports` per reporter and hour (REPORTS_PER_HOUR). */
  reportsPerHour: number;
}

export function rateLimitsFromConfig(): RateLimits {
  return {
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
    loginWindowMs: config.LOGIN_WINDOW_MINUTES * 60_000,
    registerMaxPerHour: config.REGISTER_MAX_PER_HOUR,
    store: config.RATE_LIMIT_STORE,
    namespace: 'auth',
    refreshPerMinute: config.REFRESH_MAX_PER_MINUTE,
    profileUpdatesPerHour: config.PROFILE_UPDATES_PER_HOUR,
    reportsPerHour: config.REPORTS_PER_HOUR,
  };
}

type Handler = (req: Request, res: Response) => Promise<void>;
/** Wraps a controller: `router.post('/login', validate(…), limit.login(auth.login))`. */
export type Limited = (handler: Handler) => Handler;

export interface AuthLimiters {
  login: Limited;
  register: Limited;
  credential: Limited;
}

/**
 * `req.ip` honours X-Forwarded-For only when TRUST_PROXY set Express's `trust proxy`;
 * otherwise it is the socket's address, so a client cannot reset its count with the header.
 */
export function clientIp(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

export const emailOf = (req: Request): string => {
  const email: unknown = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

interface Rule {
  limiter: AttemptLimiter;
  key: (req: Request, res: Response) => string;
}

export function ruleMaker(limits: RateLimits) {
  return (name: string, limit: number, windowMs: number, key: Rule['key']): Rule => {
    const keyPrefix = `${limits.namespace}:${name}`;
    const duration = windowMs / 1000;
    const store =
      limits.store === 'postgres' ? postgresCounterStore(keyPrefix, limit, duration) : new RateLimiterMemory({ keyPrefix, points: limit, duration });
    return { limiter: new AttemptLimiter(store, limit), key };
  };
}

/** Takes a slot of every rule in order, or none: a refusal gives back the slots taken. */
async function acquireAll(slots: { limiter: AttemptLimiter; key: string }[]): Promise<void> {
  for (const [taken, { limiter, key }] of slots.entries()) {
    try {
      await limiter.acquire(key);
    } catch (err) {
      await Promise.all(slots.slice(0, taken).map((slot) => slot.limiter.release(slot.key, false)));
      if (err instanceof BudgetSpent) throw AppError.rateLimited(err.retryAfterMs / 1000);
      throw err;
    }
  }
}

/**
 * Runs the handler only within every rule's budget, then records its outcome: an outcome
 * whose status `counted` picks (401 for a failed login) uses up one attempt of each rule,
 * before the client hears of it; any other outcome, or one still running, uses none.
 * Over a budget: 429 RATE_LIMITED with Retry-After, even for what would have succeeded.
 */
export function limited(rules: Rule[], counted: (status: number) => boolean): Limited {
  return (handler) => async (req, res) => {
    const slots = rules.map(({ limiter, key }) => ({ limiter, key: key(req, res) }));
    await acquireAll(slots);
    let failure: { error: unknown } | undefined;
    try {
      await handler(req, res);
    } catch (error) {
      failure = { error };
    }
    const counts = counted(failure ? toAppError(failure.error).status : res.statusCode);
    await Promise.all(slots.map(({ limiter, key }) => limiter.release(key, counts)));
    if (failure) throw failure.error;
  };
}

export function createAuthLimiters(limits: RateLimits): AuthLimiters {
  const { loginMaxFailures: max, loginWindowMs: window } = limits;
  const rule = ruleMaker(limits);
  const failed = (status: number) => status === 401;
  // The narrow rule first: attempts waiting for their account's budget hold no slot of the IP's.
  const perAccount = rule('login-account', max, window, (req) => `${clientIp(req)}|${emailOf(req)}`);
  const perIp = rule('login-ip', max * 10, window, clientIp);
  return {
    login: limited([perAccount, perIp], failed),
    // Accounts created and addresses found taken both count; malformed requests do not.
    register: limited([rule('register', limits.registerMaxPerHour, 3_600_000, clientIp)], (status) => status === 201 || status === 409),
    // A stolen access token must not become a way to guess the password.
    credential: limited([rule('credential', max, window, (_req, res) => `user:${principalOf(res).userId}`)], failed),
  };
}
