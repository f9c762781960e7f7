import { Router } from 'express';
import * as users from '../controllers/user.controller';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/user.schemas';

export const usersRouter = Router();

usersRouter.get('/user', validate(schemas.getMe), users.me);
usersRouter.put('/user/:id', validate(schemas.update), users.update);
usersRouter.delete('/user/:id', validate(schemas.remove), users.remove);
usersRouter.get('/users', validate(schemas.list), users.list);
usersRouter.get('/users/:id', validate(schemas.getOne), users.getOne);
usersRouter.patch('/users/:id/role', validate(schemas.changeRole), users.changeRole);
