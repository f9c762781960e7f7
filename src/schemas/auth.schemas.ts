import { z } from 'zod';
import { optionalText } from './common';

export const username = z.string().regex(/^[A-Za-z0-9_.-]{3,30}$/, 'Username must be 3-30 characters of letters, digits, _ . -');

export const email = z
  .string()
  .trim()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email('Invalid email'))
  .transform((e) => e.toLowerCase());

export const password = z.string().min(1, 'Password is required');

export const register = {
  body: z.object({ username, email, password, address: optionalText(255), quotes: optionalText(500) }).strict(),
};

export const login = {
  body: z.object({ email, password }).strict(),
};

export const refresh = {
  body: z.object({ refresh_token: z.string().min(1).max(512) }).strict(),
};

/** The body is optional; a refresh token given here is revoked too if it is one of the caller's. */
export const logout = {
  body: z.object({ refresh_token: z.string().min(1).max(512).optional() }).strict(),
};

export const credential = {
  body: z
    .object({ current_password: password, email: email.optional(), password: password.optional() })
    .strict()
    .refine((b) => b.email !== undefined || b.password !== undefined, { message: 'Give email and/or password to change', path: ['password'] }),
};
