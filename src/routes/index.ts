import { Router } from 'express';
import { authenticate } from '../middleware/authenticate';
import { authRouter } from './auth.routes';
import { carsRouter } from './cars.routes';
import { favoritesRouter } from './favorites.routes';
import { healthRouter } from './health.routes';
import { socketRouter } from './socket.routes';
import { usersRouter } from './users.routes';

/** Path prefixes that need an access token; anything else unknown falls through to 404. */
export const PROTECTED_PREFIXES = ['/logout', '/user', '/users', '/cars', '/favorites', '/socket'];

/** Public routers first, then `authenticate` once for the protected ones. */
export function buildRoutes(): Router {
  const router = Router();
  router.use(healthRouter);
  router.use(authRouter);
  router.use(PROTECTED_PREFIXES, authenticate);
  router.use(usersRouter);
  router.use(carsRouter);
  router.use(favoritesRouter);
  router.use(socketRouter);
  return router;
}
