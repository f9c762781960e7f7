import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/user.schemas';
import * as users from '../services/users/user.service';
import { toUserView } from '../services/users/user.view';
import { setPagingHeaders } from '../utils/paging';

export async function me(_req: Request, res: Response): Promise<void> {
  res.json(toUserView(await users.getUser(principalOf(res).userId)));
}

export async function update(_req: Request, res: Response): Promise<void> {
  const { params, body } = inputOf(res, schemas.update);
  const user = await users.updateProfile(principalOf(res), params.id, body);
  res.json({ message: 'success to update', user });
}

export async function remove(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.remove);
  await users.deleteUser(principalOf(res), params.id);
  res.json({ message: 'success to delete' });
}

export async function list(req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.list);
  const { rows, total } = await users.listUsers(principalOf(res), query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
}

export async function getOne(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.getOne);
  res.json(await users.viewUser(principalOf(res), params.id));
}

export async function changeRole(_req: Request, res: Response): Promise<void> {
  const { params, body } = inputOf(res, schemas.changeRole);
  const user = await users.changeRole(principalOf(res), params.id, body.role);
  res.json({ message: 'success to update role', user });
}
