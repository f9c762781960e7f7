import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/favorite.schemas';
import * as favorites from '../services/favorites/favorite.service';

export async function list(_req: Request, res: Response): Promise<void> {
  res.json(await favorites.listFavorites(principalOf(res).userId));
}

export async function create(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.create);
  res.status(201).json(await favorites.addFavorite(principalOf(res).userId, body.CarId));
}

export async function remove(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.remove);
  await favorites.removeFavorite(principalOf(res).userId, params.id);
  res.json({ message: 'success to delete' });
}
