import { Router } from 'express';
import { createAccountLimiters } from '../middleware/account-limits';
import { authenticate } from '../middleware/authenticate';
import { createAuthLimiters, type RateLimits } from '../middleware/rate-limit';
import { createRequestBudgets } from '../middleware/request-budget';
import { accountRouter, publicAccountRouter } from './account.routes';
import { publicAuthRouter, sessionRouter } from './auth.routes';
import { carsRouter } from './cars.routes';
import { favoritesRouter } from './favorites.routes';
import { healthRouter } from './health.routes';
import { moderationRouter } from './moderation.routes';
import { profileRouter } from './profile.routes';
import { socketRouter } from './socket.routes';
import { usersRouter } from './users.routes';

/** Path prefixes that need an access token; anything else unknown falls through to 404. */
export const PROTECTED_PREFIXES = ['/logout', '/user', '/users', '/cars', '/favorites', '/socket', '/sessions', '/email/verify/resend', '/reports'];

/** Public routers first, then `authenticate` once for the protected ones. */
export function buildRoutes(rateLimits: RateLimits): Router {
  const limiters = createAuthLimiters(rateLimits);
  const budgets = createRequestBudgets(rateLimits);
  const router = Router();
  // The catalogue is most of the traffic: its routes are matched before the public routers
  // are walked (none of which serves a /cars path).
  router.use('/cars', authenticate);
  router.use(carsRouter);
  router.use(healthRouter);
  router.use(publicAuthRouter(limiters, budgets));
  router.use(publicAccountRouter(createAccountLimiters(rateLimits)));
  router.use(
    PROTECTED_PREFIXES.filter((p) => p !== '/cars'),
    authenticate,
  );
  router.use(sessionRouter(limiters));
  router.use(profileRouter(limiters, budgets));
  router.use(accountRouter());
  router.use(usersRouter);
  router.use(favoritesRouter);
  router.use(socketRouter);
  router.use(moderationRouter);
  return router;
}
