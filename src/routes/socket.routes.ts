import { Router } from 'express';
import * as socket from '../controllers/socket.controller';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/socket.schemas';

export const socketRouter = Router();

socketRouter.get('/socket/message', validate(schemas.messages), socket.messageHistory);
socketRouter.patch('/socket/message/:id', validate(schemas.editMessage), socket.editOne);
socketRouter.delete('/socket/message/:id', validate(schemas.deleteMessage), socket.deleteOne);
socketRouter.get('/socket/log', validate(schemas.logs), socket.presenceLog);
socketRouter.get('/socket/rooms', validate(schemas.rooms), socket.myRooms);
