import { Router } from 'express';
import * as users from '../controllers/user.controller';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/user.schemas';

export const usersRouter = Router();

usersRouter.get('/user', validate(schemas.getMe), users.me);
usersRouter.put('/user/:id', validate(schemas.update), users.update);
