import { Router } from 'express';
import * as socket from '../controllers/socket.controller';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/socket.schemas';

export const socketRouter = Router();

socketRouter.get('/socket/message', validate(schemas.messages), socket.messageHistory);
socketRouter.get('/socket/log', validate(schemas.logs), socket.presenceLog);
