import type { Router } from 'express';
import type { RateLimits } from '../middleware/rate-limit';
import { avatarEndpoints, recoveryEndpoints, sessionEndpoints } from './account.routes';
import { authEndpoints } from './auth.routes';
import { carEndpoints } from './cars.routes';
import { docsEndpoints } from './docs.routes';
import type { Endpoint } from './endpoint';
import { favoriteEndpoints } from './favorites.routes';
import { healthEndpoints } from './health.routes';
import { moderationEndpoints } from './moderation.routes';
import { mountEndpoints } from './mount';
import { socketEndpoints } from './socket.routes';
import { userEndpoints } from './users.routes';

/**
 * Every endpoint of the REST API, in the order Express tries them: the most requested first
 * (the catalogue), and every static `/user/<name>` before `/user/:id` (the mount refuses
 * an order where a route could never be reached). Who may call each one is in its declaration.
 */
export const declaredEndpoints: readonly Endpoint[] = [
  ...carEndpoints,
  ...healthEndpoints,
  ...docsEndpoints,
  ...authEndpoints,
  ...recoveryEndpoints,
  ...sessionEndpoints,
  ...avatarEndpoints,
  ...moderationEndpoints,
  ...userEndpoints,
  ...favoriteEndpoints,
  ...socketEndpoints,
];

export function buildRoutes(rateLimits: RateLimits): Router {
  return mountEndpoints(declaredEndpoints, rateLimits);
}
