import { Router } from 'express';
import * as account from '../controllers/account.controller';
import * as avatar from '../controllers/avatar.controller';
import * as sessions from '../controllers/session.controller';
import type { AccountLimiters } from '../middleware/account-limits';
import { avatarUpload } from '../middleware/avatar-upload';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/account.schemas';

/**
 * No access token needed: recovery, the emailed verification link (a typed code checks the
 * token itself) and avatars, which `<img>` tags load. Mounted before `authenticate`, so
 * `GET /users/:id/avatar` answers here and every other `/users` route stays protected.
 */
export function publicAccountRouter(limit: AccountLimiters): Router {
  const router = Router();
  router.post('/password/forgot', validate(schemas.forgotPassword), limit.forgot(account.forgotPassword));
  router.post('/password/reset', validate(schemas.resetPassword), limit.reset(account.resetPassword));
  router.post('/email/verify', validate(schemas.verifyEmail), limit.verify(account.verifyEmail));
  router.get('/users/:id/avatar', validate(schemas.getAvatar), avatar.get);
  return router;
}

/** Mounted after `authenticate`, and before `PUT /user/:id` would take `avatar` for an id. */
export function accountRouter(): Router {
  const router = Router();
  router.post('/email/verify/resend', validate(schemas.resendVerification), account.resendVerification);
  router.get('/sessions', validate(schemas.listSessions), sessions.list);
  router.delete('/sessions', validate(schemas.revokeOtherSessions), sessions.revokeOthers);
  router.delete('/sessions/:id', validate(schemas.revokeSession), sessions.revokeOne);
  // The multipart body is read only after the token is checked, and capped while it streams.
  router.put('/user/avatar', avatarUpload, validate(schemas.putAvatar), avatar.put);
  router.delete('/user/avatar', validate(schemas.deleteAvatar), avatar.remove);
  return router;
}
