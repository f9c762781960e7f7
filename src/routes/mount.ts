import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { config } from '../config';
import { AppError } from '../errors';
import { createAccountLimiters } from '../middleware/account-limits';
import { authenticate, principalOf } from '../middleware/authenticate';
import { createAuthLimiters, type Limited, type RateLimits } from '../middleware/rate-limit';
import { createRequestBudgets, type RequestBudgets } from '../middleware/request-budget';
import { validate } from '../middleware/validate';
import type { Role } from '../models/user';
import { needsToken, type Access, type Endpoint, type RateLimitName } from './endpoint';
import { checkResponses } from './response-check';
import { unmatchedPath } from './unmatched-path';

const RANK: Record<Role, number> = { user: 0, admin: 1, superadmin: 2 };

/** After `authenticate`: 403 before any validation, so a plain user learns nothing about the input of an admin route. */
function requireRole(access: Access & Role): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (RANK[principalOf(res).role] < RANK[access]) throw AppError.forbidden(`Only ${access === 'admin' ? 'admins' : 'a superadmin'} can do this`);
    next();
  };
}

interface Limits {
  limiters: Record<RateLimitName, Limited>;
  budgets: RequestBudgets;
}

/** The middleware of one endpoint, in the contract's order: 401, then 403, then 400, then the handler's own answers. */
function chain(endpoint: Endpoint, { limiters, budgets }: Limits): RequestHandler[] {
  const { access, handler } = endpoint;
  const run = (req: Request, res: Response) => Promise.resolve(handler(req, res, res.locals.input));
  return [
    ...(config.NODE_ENV === 'test' ? [checkResponses(endpoint)] : []),
    ...(needsToken(access) ? [authenticate] : []),
    ...(access === 'admin' || access === 'superadmin' ? [requireRole(access)] : []),
    ...(endpoint.guards ?? []),
    validate(endpoint.request),
    ...(endpoint.budget ? [budgets[endpoint.budget]] : []),
    ...(endpoint.middleware ?? []),
    endpoint.rateLimit ? limiters[endpoint.rateLimit](run) : run,
  ];
}

/** True when `earlier`, matched first, would take every request meant for `later` (`/user/:id` before `/user/avatar`). */
function shadows(earlier: Endpoint, later: Endpoint): boolean {
  const a = earlier.path.split('/');
  const b = later.path.split('/');
  if (earlier.method !== later.method || a.length !== b.length || earlier.path === later.path) return false;
  return a.every((segment, i) => segment === b[i] || segment.startsWith(':'));
}

function assertReachable(endpoints: readonly Endpoint[]): void {
  endpoints.forEach((later, i) => {
    const earlier = endpoints.slice(0, i).find((e) => shadows(e, later));
    if (earlier)
      throw new Error(`${later.method.toUpperCase()} ${later.path} must be declared before ${earlier.path}, which would take its requests`);
  });
}

/**
 * The Express router of the declared endpoints, in their order. Authentication is per
 * endpoint, never by a list of path prefixes; a path that matches no endpoint goes on to the
 * 404 handler, after a token check only inside a token-only area (src/routes/unmatched-path.ts).
 */
export function mountEndpoints(endpoints: readonly Endpoint[], rateLimits: RateLimits): Router {
  const limits: Limits = {
    limiters: { ...createAuthLimiters(rateLimits), ...createAccountLimiters(rateLimits) },
    budgets: createRequestBudgets(rateLimits),
  };
  assertReachable(endpoints);
  const router = Router();
  for (const endpoint of endpoints) router[endpoint.method](endpoint.path, ...chain(endpoint, limits));
  router.use(unmatchedPath(endpoints));
  return router;
}
