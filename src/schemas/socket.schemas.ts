import { z } from 'zod';
import { idParams, idString, MAX_ID, pageQuery } from './common';
import { messageText, text } from './text';

const ROOM = /^(?:global|car:([1-9]\d{0,9})|dm:([1-9]\d{0,9})-([1-9]\d{0,9}))$/;

const isId = (digits: string | undefined) => digits === undefined || Number(digits) <= MAX_ID;

/**
 * `global`, `car:<id>` with a positive 32-bit car id, or `dm:<a>-<b>` with user ids a < b
 * (whether that car or those users exist is the service's question).
 */
export const roomName = z.string({ message: 'room must be a string' }).refine((room) => {
  const match = ROOM.exec(room);
  if (match === null || !isId(match[1]) || !isId(match[2]) || !isId(match[3])) return false;
  return match[2] === undefined || Number(match[2]) < Number(match[3]);
}, 'room must be "global", "car:<id>" or "dm:<a>-<b>" with a < b');

export const messages = {
  query: z
    .object({
      room: roomName.default('global'),
      before: idString.optional(),
      // `after=0` means "from the first message", as a socket's `offset: 0` does.
      after: z.union([z.literal('0').transform(() => 0), idString]).optional(),
      limit: z
        .string()
        .regex(/^\d{1,9}$/, 'limit must be a positive integer')
        .transform(Number)
        .pipe(z.number().int().min(1, 'limit must be at least 1').max(200, 'limit must be at most 200'))
        .default(50),
    })
    .strict()
    .refine((q) => q.before === undefined || q.after === undefined, { message: 'Give before or after, not both', path: ['before'] }),
};

export const logs = {
  query: z
    .object({
      status: z.enum(['on', 'off'], { message: 'status must be on or off' }).optional(),
      q: text(30, 'q').optional(),
      ...pageQuery,
    })
    .strict(),
};

export const editMessage = {
  params: idParams,
  body: z.object({ text: messageText }).strict(),
};

export const deleteMessage = { params: idParams };
