import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/account.schemas';
import * as sessions from '../services/accounts/device-sessions.service';

export async function list(_req: Request, res: Response): Promise<void> {
  res.json(await sessions.listSessions(principalOf(res)));
}

export async function revokeOne(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.revokeSession);
  await sessions.revokeMySession(principalOf(res), params.id);
  res.json({ message: 'success to revoke' });
}

export async function revokeOthers(_req: Request, res: Response): Promise<void> {
  res.json({ revoked: await sessions.revokeOtherSessions(principalOf(res)) });
}
