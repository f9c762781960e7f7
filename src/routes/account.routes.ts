import { z } from 'zod';
import * as account from '../controllers/account.controller';
import * as avatar from '../controllers/avatar.controller';
import * as sessions from '../controllers/session.controller';
import { SessionSchema, UserSchema, messageSchema } from '../docs/components';
import { avatarUpload } from '../middleware/avatar-upload';
import * as schemas from '../schemas/account.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['accounts'];

/** Password recovery and email verification (§6): no access token needed, except for a typed verification code. */
export const recoveryEndpoints = [
  defineEndpoint({
    method: 'post',
    path: '/password/forgot',
    access: 'public',
    tags,
    summary: 'Ask for a password-reset code',
    description:
      'Always 202 with the same body, in about the same time, whether or not the address is registered. A registered address gets an email ' +
      'with a 6-digit code and a link `APP_URL/reset-password?token=…`, both valid 15 minutes and once; a new request replaces the old code; ' +
      '5 wrong codes void it. Limited per email+IP and per IP like logins.',
    request: schemas.forgotPassword,
    responses: {
      202: json(messageSchema('if the address is registered, a code has been sent'), 'Accepted (whether or not the address is registered).'),
    },
    rateLimit: 'forgot',
    handler: account.forgotPassword,
  }),
  defineEndpoint({
    method: 'post',
    path: '/password/reset',
    access: 'public',
    tags,
    summary: 'Set a new password with the emailed code or link token',
    description:
      '`{ email, code, password }` or `{ token, password }`. The password rules of registration apply (a refused password leaves the code usable). ' +
      'Every session of the user is revoked and their sockets disconnected; the address counts as verified. ' +
      'A wrong, used or expired code or token: 400 INVALID_CODE. Wrong codes are limited per email and per IP.',
    request: schemas.resetPassword,
    responses: { 200: json(messageSchema('success to reset password'), 'The password is changed.') },
    rateLimit: 'reset',
    handler: account.resetPassword,
  }),
  defineEndpoint({
    method: 'post',
    path: '/email/verify',
    access: 'optional',
    tags,
    summary: 'Verify my email address',
    description:
      '`{ code }` with the access token of the account, or `{ token }` from the link `APP_URL/verify-email?token=…` with no access token. ' +
      'Codes and links are valid 24 hours, once, and only for the address they were sent to. 5 wrong codes void a code.',
    request: schemas.verifyEmail,
    responses: { 200: json(UserSchema, 'The user, with `emailVerified: true`.') },
    rateLimit: 'verify',
    handler: account.verifyEmail,
  }),
  defineEndpoint({
    method: 'post',
    path: '/email/verify/resend',
    access: 'user',
    tags,
    summary: 'Send the verification email again',
    description: 'A new code and link to my current address; at most one a minute (429 with Retry-After sooner); 409 when already verified.',
    responses: { 202: json(messageSchema('a verification email has been sent'), 'Sent.'), 409: problem, 429: problem },
    handler: account.resendVerification,
  }),
];

/** My sessions (devices), §6. */
export const sessionEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/sessions',
    access: 'user',
    tags,
    summary: 'My live sessions (devices), newest first',
    responses: { 200: json(z.array(SessionSchema), 'My sessions.') },
    handler: sessions.list,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/sessions/:id',
    access: 'user',
    tags,
    summary: 'Sign one of my sessions out',
    description: 'Its access and refresh tokens stop working and its sockets are disconnected at once. Not mine (or not live): 404.',
    request: schemas.revokeSession,
    responses: { 200: json(messageSchema('success to revoke'), 'Revoked.'), 404: problem },
    handler: sessions.revokeOne,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/sessions',
    access: 'user',
    tags,
    summary: 'Sign out every other session of mine',
    responses: { 200: json(z.strictObject({ revoked: z.number().int().min(0) }), 'How many sessions were revoked.') },
    handler: sessions.revokeOthers,
  }),
];

const binary = { type: 'string', format: 'binary' } as const;

/** Avatars: uploads need a token; reading one does not (an `<img>` sends none). */
export const avatarEndpoints = [
  defineEndpoint({
    method: 'put',
    path: '/user/avatar',
    access: 'user',
    tags,
    summary: 'Upload my avatar',
    description:
      '`multipart/form-data` with one file field `avatar` and nothing else: a JPEG, PNG or WebP (recognised by its content) of at most 2 MB and ' +
      '4,096 pixels a side. Stored as a 256×256 WebP (centre crop) with all metadata (EXIF, GPS) removed; `avatarUrl` gets a new `v`. ' +
      'Another type: 415; over 2 MB: 413; not an image, broken, too large in pixels, or other fields: 400.',
    documentedRequest: {
      body: {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', properties: { avatar: binary }, required: ['avatar'] } } },
      },
    },
    responses: { 200: json(UserSchema, 'Me, with the new `avatarUrl`.') },
    // The multipart body is read only after the token is checked, and capped while it streams.
    guards: [avatarUpload],
    handler: avatar.put,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/user/avatar',
    access: 'user',
    tags,
    summary: 'Remove my avatar',
    responses: { 200: json(UserSchema, 'Me, with `avatarUrl: null`.') },
    handler: avatar.remove,
  }),
  defineEndpoint({
    method: 'get',
    path: '/users/:id/avatar',
    access: 'public',
    tags,
    summary: "A user's avatar (no token needed)",
    description:
      'With the current `v` (as in `avatarUrl`): `Cache-Control: public, max-age=31536000, immutable`; otherwise `public, no-cache`. ' +
      '`If-None-Match` with the ETag: 304. 404 when the user has no avatar.',
    request: schemas.getAvatar,
    responses: {
      200: {
        description: 'The 256×256 WebP image.',
        headers: {
          ETag: { description: 'Changes with every upload.', schema: { type: 'string' } },
          'Cache-Control': { description: 'Immutable for a year when `v` is current.', schema: { type: 'string' } },
        },
        content: { 'image/webp': { schema: binary } },
      },
      304: { description: 'Not modified (If-None-Match matched the ETag).' },
      404: problem,
    },
    handler: avatar.get,
  }),
];
