import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/auth.schemas';
import * as auth from '../services/auth/auth.service';

export async function register(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.register);
  res.status(201).json(await auth.register(body));
}

/** The device a session is opened from: its User-Agent and address (X-Forwarded-For only under TRUST_PROXY). */
export function clientOf(req: Request): { userAgent: string | null; ip: string | null } {
  return { userAgent: req.get('user-agent') ?? null, ip: req.ip ?? req.socket.remoteAddress ?? null };
}

export async function login(req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.login);
  res.json(await auth.login(body.email, body.password, clientOf(req)));
}

export async function refresh(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.refresh);
  res.json(await auth.refresh(body.refresh_token));
}

export async function logout(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.logout);
  await auth.logout(principalOf(res), body.refresh_token);
  res.json({ message: 'success to logout' });
}

export async function updateCredential(req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.credential);
  const tokens = await auth.changeCredential(principalOf(res), body, clientOf(req));
  res.json({ message: 'success to update credential', ...tokens });
}
