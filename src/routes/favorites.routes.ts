import { Router } from 'express';
import * as favorites from '../controllers/favorite.controller';
import { requireVerifiedEmail } from '../middleware/require-verified-email';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/favorite.schemas';

export const favoritesRouter = Router();

favoritesRouter.get('/favorites', validate(schemas.list), favorites.list);
favoritesRouter.post('/favorites', requireVerifiedEmail, validate(schemas.create), favorites.create);
favoritesRouter.delete('/favorites/:id', validate(schemas.remove), favorites.remove);
