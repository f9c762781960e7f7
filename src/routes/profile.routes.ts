import { Router, type NextFunction, type Request, type Response } from 'express';
import * as users from '../controllers/user.controller';
import type { AuthLimiters } from '../middleware/rate-limit';
import type { RequestBudgets } from '../middleware/request-budget';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/user.schemas';

/** A path that is not `/user/<id>` (`/user/avatar`, `/user/abc`) goes on to the users router, which answers it. */
function userIdOnly(req: Request, _res: Response, next: NextFunction): void {
  next(schemas.update.params.safeParse(req.params).success ? undefined : 'router');
}

/**
 * `PUT /user/:id`, mounted after `authenticate` and `PUT /user/credential`, before the users
 * router: PROFILE_UPDATES_PER_HOUR per caller, and a wrong `current_password` uses up the
 * same guesses as one at `/user/credential`.
 */
export function profileRouter(limit: AuthLimiters, budgets: RequestBudgets): Router {
  const router = Router();
  router.put('/user/:id', userIdOnly, validate(schemas.update), budgets.profileUpdate, limit.credential(users.update));
  return router;
}
