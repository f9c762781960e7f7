import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/user.schemas';
import * as users from '../services/user.service';
import { toUserView } from '../services/user.view';

export async function me(_req: Request, res: Response): Promise<void> {
  res.json(toUserView(await users.getUser(principalOf(res).userId)));
}

export async function update(_req: Request, res: Response): Promise<void> {
  const { params, body } = inputOf(res, schemas.update);
  const user = await users.updateProfile(principalOf(res), params.id, body);
  res.json({ message: 'success to update', user });
}
