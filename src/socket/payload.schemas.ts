import { z } from 'zod';
import { roomName } from '../schemas/socket.schemas';
import type { RoomName } from './events';

/** The REST room rule, typed as the events module names rooms. */
const room = roomName.transform((r) => r as RoomName);

export const MAX_TEXT_CHARACTERS = 2000;

/** A message id a client last saw; a JSON number or its digits as text. */
const offset = z.union([
  z.number().int('offset must be an integer').min(0, 'offset must be 0 or more').max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,15}$/, 'offset must be a message id')
    .transform(Number),
]);

/** Text is counted in characters (code points), after trimming. */
const text = z
  .string({ message: 'text must be a string' })
  .trim()
  .min(1, 'text must not be empty')
  .refine((t) => [...t].length <= MAX_TEXT_CHARACTERS, `text must be at most ${MAX_TEXT_CHARACTERS} characters`);

export const sendMessage = z
  .object({
    text,
    room: room.default('global'),
    clientId: z
      .string({ message: 'clientId must be a string' })
      .min(1, 'clientId must not be empty')
      .max(64, 'clientId must be at most 64 characters')
      .optional(),
  })
  .strict();

export const joinRoom = z.object({ room, offset: offset.optional() }).strict();

export const leaveRoom = z.object({ room }).strict();

/** What the handshake reads besides the token. */
export const handshakeAuth = z.object({ offset: offset.optional() });
