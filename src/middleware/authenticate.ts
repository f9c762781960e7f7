import type { NextFunction, Request, Response } from 'express';
import { authenticateToken, extractToken, type Principal } from '../services/auth/principal.service';

/** Every route mounted after this one needs a valid access token (never read from the URL). */
export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  res.locals.principal = await authenticateToken(extractToken(req.headers));
  next();
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
