import type { Request, Response } from 'express';
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
