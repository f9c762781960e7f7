import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { config } from '../config';
import { AppError } from '../errors';
import { logger } from '../logger';
import { principalOf } from './authenticate';

/** The brute-force limits; tests build apps with small ones. */
export interface RateLimits {
  loginMaxFailures: number;
  loginWindowMs: number;
  registerMaxPerHour: number;
}

export function rateLimitsFromConfig(): RateLimits {
  return {
    loginMaxFailures: config.LOGIN_MAX_FAILURES,
    loginWindowMs: config.LOGIN_WINDOW_MINUTES * 60_000,
    registerMaxPerHour: config.REGISTER_MAX_PER_HOUR,
  };
}

export interface AuthLimiters {
  loginPerIp: RequestHandler;
  loginPerAccount: RequestHandler;
  register: RequestHandler;
  credential: RequestHandler;
}

/**
 * `req.ip` honours X-Forwarded-For only when TRUST_PROXY set Express's `trust proxy`;
 * otherwise it is the socket's address, so a client cannot reset its count with the header.
 */
function clientIp(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

function secondsUntil(reset: Date | undefined, windowMs: number): number {
  return reset ? (reset.getTime() - Date.now()) / 1000 : windowMs / 1000;
}

/**
 * Counts only the responses `counted` picks (e.g. 401 for failed logins) within the
 * window; past `limit` every request gets 429 RATE_LIMITED with Retry-After, even one
 * that would have succeeded. Counts live in this process's memory.
 */
function limiter(
  limit: number,
  windowMs: number,
  key: (req: Request, res: Response) => string,
  counted: (status: number) => boolean,
): RequestHandler {
  return rateLimit({
    limit,
    windowMs,
    keyGenerator: key,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => !counted(res.statusCode),
    standardHeaders: false,
    legacyHeaders: false,
    logger,
    // Clients may send X-Forwarded-For; ignoring it unless TRUST_PROXY says otherwise is the point.
    validate: { xForwardedForHeader: false },
    handler: (req, _res, next) => next(AppError.rateLimited(secondsUntil((req as AugmentedRequest).rateLimit?.resetTime, windowMs))),
  });
}

const emailOf = (req: Request): string => {
  const email: unknown = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

export function createAuthLimiters(limits: RateLimits): AuthLimiters {
  const { loginMaxFailures: max, loginWindowMs: window } = limits;
  const failed = (status: number) => status === 401;
  return {
    loginPerIp: limiter(max * 10, window, clientIp, failed),
    loginPerAccount: limiter(max, window, (req) => `${clientIp(req)}|${emailOf(req)}`, failed),
    // Accounts created and addresses found taken both count; malformed requests do not.
    register: limiter(limits.registerMaxPerHour, 3_600_000, clientIp, (status) => status === 201 || status === 409),
    // A stolen access token must not become a way to guess the password.
    credential: limiter(max, window, (_req, res) => `user:${principalOf(res).userId}`, failed),
  };
}
