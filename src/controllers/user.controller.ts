import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/user.schemas';
import * as users from '../services/users/user.service';
import { toUserView } from '../services/users/user.view';
import { setPagingHeaders } from '../utils/paging';

export async function me(_req: Request, res: Response): Promise<void> {
  res.json(toUserView(await users.getUser(principalOf(res).userId)));
}

export const update: Handler<typeof schemas.update> = async (_req, res, { params, body }) => {
  const user = await users.updateProfile(principalOf(res), params.id, body);
  res.json({ message: 'success to update', user });
};

export const remove: Handler<typeof schemas.remove> = async (_req, res, { params }) => {
  await users.deleteUser(principalOf(res), params.id);
  res.json({ message: 'success to delete' });
};

export const list: Handler<typeof schemas.list> = async (req, res, { query }) => {
  const { rows, total } = await users.listUsers(principalOf(res), query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
};

export const getOne: Handler<typeof schemas.getOne> = async (_req, res, { params }) => {
  res.json(await users.viewUser(principalOf(res), params.id));
};

export const changeRole: Handler<typeof schemas.changeRole> = async (_req, res, { params, body }) => {
  const user = await users.changeRole(principalOf(res), params.id, body.role);
  res.json({ message: 'success to update role', user });
};
