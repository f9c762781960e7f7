import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/account.schemas';
import * as verification from '../services/accounts/email-verification.service';
import * as reset from '../services/accounts/password-reset.service';
import { authenticateToken, extractToken } from '../services/auth/principal.service';

export const forgotPassword: Handler<typeof schemas.forgotPassword> = async (_req, res, { body }) => {
  reset.requestPasswordReset(body.email);
  res.status(202).json(reset.FORGOT_ANSWER);
};

export const resetPassword: Handler<typeof schemas.resetPassword> = async (_req, res, { body }) => {
  const { token, email, code, password } = body;
  if (token !== undefined) await reset.resetPassword({ token, password });
  else await reset.resetPassword({ email: email ?? '', code: code ?? '', password });
  res.json({ message: 'success to reset password' });
};

/** The link's token needs no access token; a typed code belongs to the signed-in user, so it needs one. */
export const verifyEmail: Handler<typeof schemas.verifyEmail> = async (req, res, { body }) => {
  if (body.token !== undefined) {
    res.json(await verification.verifyWithToken(body.token));
    return;
  }
  const principal = await authenticateToken(extractToken(req.headers));
  res.json(await verification.verifyWithCode(principal.userId, body.code ?? ''));
};

export async function resendVerification(_req: Request, res: Response): Promise<void> {
  await verification.resendVerification(principalOf(res).userId);
  res.status(202).json({ message: 'a verification email has been sent' });
}
