import { Router } from 'express';
import * as auth from '../controllers/auth.controller';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/auth.schemas';

export const authRouter = Router();

authRouter.post('/register', validate(schemas.register), auth.register);
authRouter.post('/login', validate(schemas.login), auth.login);
authRouter.post('/token/refresh', validate(schemas.refresh), auth.refresh);
