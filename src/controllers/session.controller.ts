import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/account.schemas';
import * as sessions from '../services/accounts/device-sessions.service';

export async function list(_req: Request, res: Response): Promise<void> {
  res.json(await sessions.listSessions(principalOf(res)));
}

export const revokeOne: Handler<typeof schemas.revokeSession> = async (_req, res, { params }) => {
  await sessions.revokeMySession(principalOf(res), params.id);
  res.json({ message: 'success to revoke' });
};

export async function revokeOthers(_req: Request, res: Response): Promise<void> {
  res.json({ revoked: await sessions.revokeOtherSessions(principalOf(res)) });
}
