import type { Request, Response } from 'express';
import { AppError } from '../errors';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/socket.schemas';
import { deleteMessage, editMessage } from '../services/chat/chat.service';
import { history } from '../services/chat/message.service';
import { presencePage } from '../services/presence/presence-log.service';
import { roomsOf } from '../services/chat/read-marker.service';
import { chatEventsOf } from '../socket/chat-events';
import { setPagingHeaders } from '../utils/paging';

export const messageHistory: Handler<typeof schemas.messages> = async (_req, res, { query }) => {
  res.json(await history(query, principalOf(res).userId));
};

export const editOne: Handler<typeof schemas.editMessage> = async (req, res, { params, body }) => {
  const { userId } = principalOf(res);
  const message = await editMessage(userId, params.id, body.text);
  chatEventsOf(req.app).updated(message, userId);
  res.json(message);
};

/** A plain user's delete of someone else's message is 404 over REST (the contract), FORBIDDEN over Socket.IO. */
export const deleteOne: Handler<typeof schemas.deleteMessage> = async (req, res, { params }) => {
  const { userId, role } = principalOf(res);
  const deleted = await deleteMessage({ userId, role }, params.id).catch((err: unknown) => {
    throw err instanceof AppError && err.code === 'FORBIDDEN' ? AppError.notFound('No such message of yours') : err;
  });
  chatEventsOf(req.app).deleted(deleted, userId);
  res.json({ message: 'success to delete' });
};

export const presenceLog: Handler<typeof schemas.logs> = async (req, res, { query }) => {
  const { rows, total } = await presencePage(query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
};

export async function myRooms(_req: Request, res: Response): Promise<void> {
  res.json(await roomsOf(principalOf(res).userId));
}
