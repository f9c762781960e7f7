import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/account.schemas';
import { AUTH, BODY, SECURITY, SERVER, SessionSchema, UserSchema, errors, json, messageSchema } from './components';
import { requestOf } from './request';

const tags = ['accounts'];
const security = SECURITY;

function registerRecovery(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/password/forgot',
    tags,
    summary: 'Ask for a password-reset code',
    description:
      'Always 202 with the same body, in about the same time, whether or not the address is registered. A registered address gets an email ' +
      'with a 6-digit code and a link `APP_URL/reset-password?token=…`, both valid 15 minutes and once; a new request replaces the old code; ' +
      '5 wrong codes void it. Limited per email+IP and per IP like logins.',
    request: requestOf(schemas.forgotPassword),
    responses: {
      202: json(messageSchema('if the address is registered, a code has been sent'), 'Accepted (whether or not the address is registered).'),
      ...errors(...BODY, 429, ...SERVER),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/password/reset',
    tags,
    summary: 'Set a new password with the emailed code or link token',
    description:
      '`{ email, code, password }` or `{ token, password }`. The password rules of registration apply (a refused password leaves the code usable). ' +
      'Every session of the user is revoked and their sockets disconnected; the address counts as verified. ' +
      'A wrong, used or expired code or token: 400 INVALID_CODE. Wrong codes are limited per email and per IP.',
    request: requestOf(schemas.resetPassword),
    responses: { 200: json(messageSchema('success to reset password'), 'The password is changed.'), ...errors(...BODY, 429, ...SERVER) },
  });
}

function registerVerification(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/email/verify',
    tags,
    security: [{}, ...security],
    summary: 'Verify my email address',
    description:
      '`{ code }` with the access token of the account, or `{ token }` from the link `APP_URL/verify-email?token=…` with no access token. ' +
      'Codes and links are valid 24 hours, once, and only for the address they were sent to. 5 wrong codes void a code.',
    request: requestOf(schemas.verifyEmail),
    responses: { 200: json(UserSchema, 'The user, with `emailVerified: true`.'), ...errors(...BODY, ...AUTH, 429, ...SERVER) },
  });
  registry.registerPath({
    method: 'post',
    path: '/email/verify/resend',
    tags,
    security,
    summary: 'Send the verification email again',
    description: 'A new code and link to my current address; at most one a minute (429 with Retry-After sooner); 409 when already verified.',
    request: requestOf(schemas.resendVerification),
    responses: { 202: json(messageSchema('a verification email has been sent'), 'Sent.'), ...errors(400, ...AUTH, 409, 429, ...SERVER) },
  });
}

function registerSessions(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/sessions',
    tags,
    security,
    summary: 'My live sessions (devices), newest first',
    request: requestOf(schemas.listSessions),
    responses: { 200: json(z.array(SessionSchema), 'My sessions.'), ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/sessions/{id}',
    tags,
    security,
    summary: 'Sign one of my sessions out',
    description: 'Its access and refresh tokens stop working and its sockets are disconnected at once. Not mine (or not live): 404.',
    request: requestOf(schemas.revokeSession),
    responses: { 200: json(messageSchema('success to revoke'), 'Revoked.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/sessions',
    tags,
    security,
    summary: 'Sign out every other session of mine',
    request: requestOf(schemas.revokeOtherSessions),
    responses: { 200: json(z.object({ revoked: z.number().int().min(0) }), 'How many sessions were revoked.'), ...errors(400, ...AUTH, ...SERVER) },
  });
}

const binary = { type: 'string', format: 'binary' } as const;

function registerAvatars(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'put',
    path: '/user/avatar',
    tags,
    security,
    summary: 'Upload my avatar',
    description:
      '`multipart/form-data` with one file field `avatar` and nothing else: a JPEG, PNG or WebP (recognised by its content) of at most 2 MB and ' +
      '4,096 pixels a side. Stored as a 256×256 WebP (centre crop) with all metadata (EXIF, GPS) removed; `avatarUrl` gets a new `v`. ' +
      'Another type: 415; over 2 MB: 413; not an image, broken, too large in pixels, or other fields: 400.',
    request: {
      body: {
        required: true,
        content: { 'multipart/form-data': { schema: { type: 'object', properties: { avatar: binary }, required: ['avatar'] } } },
      },
    },
    responses: { 200: json(UserSchema, 'Me, with the new `avatarUrl`.'), ...errors(...BODY, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/user/avatar',
    tags,
    security,
    summary: 'Remove my avatar',
    request: requestOf(schemas.deleteAvatar),
    responses: { 200: json(UserSchema, 'Me, with `avatarUrl: null`.'), ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/users/{id}/avatar',
    tags,
    summary: "A user's avatar (no token needed)",
    description:
      'With the current `v` (as in `avatarUrl`): `Cache-Control: public, max-age=31536000, immutable`; otherwise `public, no-cache`. ' +
      '`If-None-Match` with the ETag: 304. 404 when the user has no avatar.',
    request: requestOf(schemas.getAvatar),
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
      ...errors(400, 404, ...SERVER),
    },
  });
}

export function registerAccountDocs(registry: OpenAPIRegistry): void {
  registerRecovery(registry);
  registerVerification(registry);
  registerSessions(registry);
  registerAvatars(registry);
}
