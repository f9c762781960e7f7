import { z } from 'zod';
import { email, password } from './auth.schemas';
import { idParams } from './common';

const code = z.string().regex(/^\d{6}$/, 'code must be the 6 digits from the email');
const token = z
  .string()
  .min(16, 'token must be the one from the link')
  .max(128, 'token must be the one from the link')
  .regex(/^[A-Za-z0-9_-]+$/, 'token must be the one from the link');

export const forgotPassword = {
  body: z.object({ email }).strict(),
};

/** `{ email, code, password }` or `{ token, password }`. */
export const resetPassword = {
  body: z
    .object({ email: email.optional(), code: code.optional(), token: token.optional(), password })
    .strict()
    .superRefine((b, ctx) => {
      if (b.token !== undefined && (b.email !== undefined || b.code !== undefined))
        ctx.addIssue({ code: 'custom', path: ['token'], message: 'Give either token, or email and code' });
      if (b.token === undefined && b.email === undefined) ctx.addIssue({ code: 'custom', path: ['email'], message: 'Give email and code, or token' });
      if (b.token === undefined && b.code === undefined) ctx.addIssue({ code: 'custom', path: ['code'], message: 'Give email and code, or token' });
    })
    .meta({ description: 'Either `email` and `code` (from the email), or `token` (from the link); and the new `password`.' }),
};

/** `{ code }` with an access token, or `{ token }` (from the link) without one. */
export const verifyEmail = {
  body: z
    .object({ code: code.optional(), token: token.optional() })
    .strict()
    .refine((b) => (b.code === undefined) !== (b.token === undefined), { message: 'Give exactly one of code and token', path: ['code'] })
    .meta({ description: '`code` (needs the access token) or `token` from the link (needs none).' }),
};

export const revokeSession = {
  params: z.object({ id: z.uuid('Must be a session id') }).strict(),
};

export const getAvatar = {
  params: idParams,
  query: z
    .object({
      v: z
        .string()
        .regex(/^[1-9]\d{0,8}$/, 'v must be a positive integer')
        .transform(Number)
        .optional(),
    })
    .strict(),
};
