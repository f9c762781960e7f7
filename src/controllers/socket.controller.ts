import type { Request, Response } from 'express';
import { AppError } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/socket.schemas';
import { deleteMessage, editMessage } from '../services/chat/chat.service';
import { history } from '../services/chat/message.service';
import { presencePage } from '../services/presence/presence-log.service';
import { roomsOf } from '../services/chat/read-marker.service';
import { chatEventsOf } from '../socket/chat-events';
import { setPagingHeaders } from '../utils/paging';

export async function messageHistory(_req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.messages);
  res.json(await history(query, principalOf(res).userId));
}

export async function editOne(req: Request, res: Response): Promise<void> {
  const { params, body } = inputOf(res, schemas.editMessage);
  const { userId } = principalOf(res);
  const message = await editMessage(userId, params.id, body.text);
  chatEventsOf(req.app).updated(message, userId);
  res.json(message);
}

/** A plain user's delete of someone else's message is 404 over REST (the contract), FORBIDDEN over Socket.IO. */
export async function deleteOne(req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.deleteMessage);
  const { userId, role } = principalOf(res);
  const deleted = await deleteMessage({ userId, role }, params.id).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'FORBIDDEN' ? AppError.notFound('No such message of yours') : err;
  });
  chatEventsOf(req.app).deleted(deleted, userId);
  res.json({ message: 'success to delete' });
}

export async function presenceLog(req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.logs);
  const { rows, total } = await presencePage(query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
}

export async function myRooms(_req: Request, res: Response): Promise<void> {
  res.json(await roomsOf(principalOf(res).userId));
}
