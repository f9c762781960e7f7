import { z } from 'zod';
import { idNumber } from '../schemas/common';
import { roomName } from '../schemas/socket.schemas';
import { messageText, text as textRule } from '../schemas/text';
import type { RoomName } from './events';

/** The REST room rule, typed as the events module names rooms. */
const room = roomName.transform((r) => r as RoomName);

/** A message's id or seq a client last saw; a JSON number or its digits as text. */
const offset = z.union([
  z.number().int('offset must be an integer').min(0, 'offset must be 0 or more').max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/, 'offset must be a message id')
    .transform(Number),
]);

/** The text rule of REST and Socket.IO alike (src/schemas/text.ts). */
const text = messageText;

export const sendMessage = z
  .object({
    text,
    room: room.default('global'),
    clientId: textRule(64, 'clientId')
      .refine((s) => s.length > 0, 'clientId must not be empty')
      .optional(),
  })
  .strict();

export const joinRoom = z.object({ room, offset: offset.optional() }).strict();

export const leaveRoom = z.object({ room }).strict();

/** What the handshake reads besides the token. */
export const handshakeAuth = z.object({ offset: offset.optional() });

export const editMessage = z.object({ id: idNumber, text }).strict();

export const deleteMessage = z.object({ id: idNumber }).strict();

export const readRoom = z.object({ room, id: idNumber }).strict();

export const typing = z.object({ room, typing: z.boolean({ message: 'typing must be true or false' }) }).strict();
