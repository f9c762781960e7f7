import * as auth from '../controllers/auth.controller';
import { CredentialUpdatedSchema, TokensSchema, UserSchema, messageSchema } from '../docs/components';
import * as schemas from '../schemas/auth.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['auth'];

/** Register, login and refresh need no token; logout and a credential change do. */
export const authEndpoints = [
  defineEndpoint({
    method: 'post',
    path: '/register',
    access: 'public',
    tags,
    summary: 'Create an account (always role `user`)',
    description:
      'username: 3-30 of letters, digits, `_ . -`, unique ignoring case. email: stored lower-case, unique. ' +
      'password: 8+ characters, at most 72 bytes, not a common password, not containing the username or the email local part. ' +
      'Limited per IP (REGISTER_MAX_PER_HOUR).',
    request: schemas.register,
    responses: { 201: json(UserSchema, 'The new user.'), 409: problem },
    rateLimit: 'register',
    handler: auth.register,
  }),
  defineEndpoint({
    method: 'post',
    path: '/login',
    access: 'public',
    tags,
    summary: 'Log in with email (any case) and password',
    description:
      'Failed logins are limited per email+IP and per IP; over the limit: 429 with Retry-After, even with the right password. ' +
      'A password over 72 bytes never matches (401 INVALID_CREDENTIALS, as a wrong one), never silently truncated.',
    request: schemas.login,
    responses: { 200: json(TokensSchema, 'Tokens for a new session.'), 401: problem },
    rateLimit: 'login',
    handler: auth.login,
  }),
  defineEndpoint({
    method: 'post',
    path: '/token/refresh',
    access: 'public',
    tags,
    summary: 'Rotate a refresh token',
    description:
      'Presenting an already-rotated refresh token revokes its whole session. At most REFRESH_MAX_PER_MINUTE (30) refreshes per session and minute: 429.',
    request: schemas.refresh,
    responses: { 200: json(TokensSchema, 'Fresh tokens; the refresh token presented stops working.'), 401: problem },
    budget: 'refresh',
    handler: auth.refresh,
  }),
  ...(['post', 'delete'] as const).map((method) =>
    defineEndpoint({
      method,
      path: '/logout',
      access: 'user',
      tags,
      summary: 'Log out this session',
      description: "This access token and its session's refresh tokens stop working at once; this session's sockets are disconnected.",
      request: schemas.logout,
      responses: { 200: json(messageSchema('success to logout'), 'Logged out.') },
      handler: auth.logout,
    }),
  ),
  defineEndpoint({
    method: 'put',
    path: '/user/credential',
    access: 'user',
    tags,
    summary: 'Change my email and/or password',
    description:
      "Needs `current_password`. Every session and token issued before, the caller's included, is revoked; the response carries tokens for a new session.",
    request: schemas.credential,
    responses: { 200: json(CredentialUpdatedSchema, 'Updated; fresh tokens.'), 409: problem },
    // A stolen access token must not become a way to guess the password.
    rateLimit: 'credential',
    handler: auth.updateCredential,
  }),
];
