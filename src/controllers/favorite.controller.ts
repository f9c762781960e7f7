import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/favorite.schemas';
import * as favorites from '../services/favorites/favorite.service';

export async function list(_req: Request, res: Response): Promise<void> {
  res.json(await favorites.listFavorites(principalOf(res).userId));
}

export const create: Handler<typeof schemas.create> = async (_req, res, { body }) => {
  res.status(201).json(await favorites.addFavorite(principalOf(res).userId, body.CarId));
};

export const remove: Handler<typeof schemas.remove> = async (_req, res, { params }) => {
  await favorites.removeFavorite(principalOf(res).userId, params.id);
  res.json({ message: 'success to delete' });
};
