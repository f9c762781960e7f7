import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/account.schemas';
import * as verification from '../services/accounts/email-verification.service';
import * as reset from '../services/accounts/password-reset.service';
import { authenticateToken, extractToken } from '../services/auth/principal.service';

export async function forgotPassword(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.forgotPassword);
  reset.requestPasswordReset(body.email);
  res.status(202).json(reset.FORGOT_ANSWER);
}

export async function resetPassword(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.resetPassword);
  const { token, email, code, password } = body;
  if (token !== undefined) await reset.resetPassword({ token, password });
  else await reset.resetPassword({ email: email ?? '', code: code ?? '', password });
  res.json({ message: 'success to reset password' });
}

/** The link's token needs no access token; a typed code belongs to the signed-in user, so it needs one. */
export async function verifyEmail(req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.verifyEmail);
  if (body.token !== undefined) {
    res.json(await verification.verifyWithToken(body.token));
    return;
  }
  const principal = await authenticateToken(extractToken(req.headers));
  res.json(await verification.verifyWithCode(principal.userId, body.code ?? ''));
}

export async function resendVerification(_req: Request, res: Response): Promise<void> {
  await verification.resendVerification(principalOf(res).userId);
  res.status(202).json({ message: 'a verification email has been sent' });
}
