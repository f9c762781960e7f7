import { Router } from 'express';
import * as auth from '../controllers/auth.controller';
import type { AuthLimiters } from '../middleware/rate-limit';
import type { RequestBudgets } from '../middleware/request-budget';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/auth.schemas';

/** Register, login and refresh: no access token needed. */
export function publicAuthRouter(limit: AuthLimiters, budgets: RequestBudgets): Router {
  const router = Router();
  router.post('/register', validate(schemas.register), limit.register(auth.register));
  router.post('/login', validate(schemas.login), limit.login(auth.login));
  router.post('/token/refresh', validate(schemas.refresh), budgets.refresh, auth.refresh);
  return router;
}

/** Mounted after `authenticate`, and before `PUT /user/:id` would take `credential` for an id. */
export function sessionRouter(limit: AuthLimiters): Router {
  const router = Router();
  router.post('/logout', validate(schemas.logout), auth.logout);
  router.delete('/logout', validate(schemas.logout), auth.logout);
  router.put('/user/credential', validate(schemas.credential), limit.credential(auth.updateCredential));
  return router;
}
