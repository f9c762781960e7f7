import type { NextFunction, Request, Response } from 'express';
import { assertEmailVerified } from '../services/accounts/verified-email.guard';
import { principalOf } from './authenticate';

/**
 * For routes behind `authenticate` that need a verified email when REQUIRE_VERIFIED_EMAIL=true
 * (POST /favorites, POST /reports): `router.post('/x', requireVerifiedEmail, validate(…), handler)`.
 */
export function requireVerifiedEmail(_req: Request, res: Response, next: NextFunction): void {
  assertEmailVerified(principalOf(res).emailVerified);
  next();
}
