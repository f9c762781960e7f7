import type { Request } from 'express';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/auth.schemas';
import * as auth from '../services/auth/auth.service';

export const register: Handler<typeof schemas.register> = async (_req, res, { body }) => {
  res.status(201).json(await auth.register(body));
};

/** The device a session is opened from: its User-Agent and address (X-Forwarded-For only under TRUST_PROXY). */
export function clientOf(req: Request): { userAgent: string | null; ip: string | null } {
  return { userAgent: req.get('user-agent') ?? null, ip: req.ip ?? req.socket.remoteAddress ?? null };
}

export const login: Handler<typeof schemas.login> = async (req, res, { body }) => {
  res.json(await auth.login(body.email, body.password, clientOf(req)));
};

export const refresh: Handler<typeof schemas.refresh> = async (_req, res, { body }) => {
  res.json(await auth.refresh(body.refresh_token));
};

export const logout: Handler<typeof schemas.logout> = async (_req, res, { body }) => {
  await auth.logout(principalOf(res), body.refresh_token);
  res.json({ message: 'success to logout' });
};

export const updateCredential: Handler<typeof schemas.credential> = async (req, res, { body }) => {
  const tokens = await auth.changeCredential(principalOf(res), body, clientOf(req));
  res.json({ message: 'success to update credential', ...tokens });
};
