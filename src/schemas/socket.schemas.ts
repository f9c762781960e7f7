import { z } from 'zod';
import { idString, MAX_ID } from './common';

const ROOM = /^(?:global|car:([1-9]\d{0,9}))$/;

/** `global` or `car:<id>` with a positive 32-bit car id (whether that car exists is the service's question). */
export const roomName = z.string().refine((room) => {
  const match = ROOM.exec(room);
  return match !== null && (match[1] === undefined || Number(match[1]) <= MAX_ID);
}, 'room must be "global" or "car:<id>"');

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
  query: z.object({ status: z.enum(['on', 'off'], { message: 'status must be on or off' }).optional() }).strict(),
};
