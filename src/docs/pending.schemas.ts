import { z } from 'zod';
import { email } from '../schemas/auth.schemas';
import { idParams, pageQuery } from '../schemas/common';
import { ROLES } from './components';

/**
 * Request shapes, from the contract, of routes being built on other branches. When a route's
 * own schema lands in src/schemas, the docs file imports that one instead and the entry here
 * goes: the document must come from the schemas that validate.
 */
export const logout = { body: z.object({ refresh_token: z.string().min(1).max(512).optional() }).strict() };

export const changeCredential = {
  body: z
    .object({ current_password: z.string().min(1), email: email.optional(), password: z.string().min(1).optional() })
    .strict()
    .refine((b) => b.email !== undefined || b.password !== undefined, { message: 'Give email and/or password' }),
};

export const removeUser = { params: idParams };

export const listUsers = {
  query: z.object({ ...pageQuery, q: z.string().trim().min(1).max(100).optional().meta({ description: 'Searches username and email.' }) }).strict(),
};

export const getUser = { params: idParams };

export const changeRole = { params: idParams, body: z.object({ role: z.enum(ROLES) }).strict() };
