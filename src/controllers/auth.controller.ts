import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/auth.schemas';
import * as auth from '../services/auth.service';

export async function register(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.register);
  res.status(201).json(await auth.register(body));
}

export async function login(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.login);
  res.json(await auth.login(body.email, body.password));
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

export async function updateCredential(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.credential);
  const tokens = await auth.changeCredential(principalOf(res), body);
  res.json({ message: 'success to update credential', ...tokens });
}
