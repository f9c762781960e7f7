import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/socket.schemas';
import * as messages from '../services/message.service';

export async function messageHistory(_req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.messages);
  res.json(await messages.history(query, principalOf(res).userId));
}

export async function presenceLog(_req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.logs);
  res.json(await messages.presence(query.status));
}
