import { z } from 'zod';
import { email, username } from './auth.schemas';
import { idParams, optionalText } from './common';

export const getMe = {};

export const update = {
  params: idParams,
  body: z
    .object({ username: username.optional(), email: email.optional(), address: optionalText(255), quotes: optionalText(500) })
    .strict()
    .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one of username, email, address, quotes' }),
};
