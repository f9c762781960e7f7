import { z } from 'zod';
import { ROLES } from '../models/user';
import { email, password, username } from './auth.schemas';
import { idParams, optionalText, pageQuery } from './common';

export const update = {
  params: idParams,
  body: z
    .object({
      username: username.optional(),
      email: email.optional(),
      address: optionalText(255),
      quotes: optionalText(500),
      current_password: password.optional(),
    })
    .strict()
    .refine((b) => Object.keys(b).some((k) => k !== 'current_password'), { message: 'Give at least one of username, email, address, quotes' })
    .refine((b) => b.current_password === undefined || b.email !== undefined, {
      message: 'current_password goes with email',
      path: ['current_password'],
    }),
};

export const remove = { params: idParams };

export const list = {
  query: z
    .object({
      ...pageQuery,
      q: z.string().trim().min(1, 'q must not be empty').max(100, 'q must be at most 100 characters').optional(),
    })
    .strict(),
};

export const getOne = { params: idParams };

export const changeRole = {
  params: idParams,
  body: z.object({ role: z.enum(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }) }).strict(),
};
