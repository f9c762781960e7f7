import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import * as schemas from '../schemas/auth.schemas';
import { AUTH, BODY, CredentialUpdatedSchema, SECURITY, SERVER, TokensSchema, UserSchema, errors, json, messageSchema } from './components';
import { requestOf } from './request';

const tags = ['auth'];

export function registerAuthDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/register',
    tags,
    summary: 'Create an account (always role `user`)',
    description:
      'username: 3-30 of letters, digits, `_ . -`, unique ignoring case. email: stored lower-case, unique. ' +
      'password: 8+ characters, at most 72 bytes, not a common password, not containing the username or the email local part. ' +
      'Limited per IP (REGISTER_MAX_PER_HOUR).',
    request: requestOf(schemas.register),
    responses: { 201: json(UserSchema, 'The new user.'), ...errors(...BODY, 409, 429, ...SERVER) },
  });
  registry.registerPath({
    method: 'post',
    path: '/login',
    tags,
    summary: 'Log in with email (any case) and password',
    description:
      'Failed logins are limited per email+IP and per IP; over the limit: 429 with Retry-After, even with the right password. ' +
      'A password over 72 bytes never matches (401 INVALID_CREDENTIALS, as a wrong one), never silently truncated.',
    request: requestOf(schemas.login),
    responses: { 200: json(TokensSchema, 'Tokens for a new session.'), ...errors(...BODY, 401, 429, ...SERVER) },
  });
  registry.registerPath({
    method: 'post',
    path: '/token/refresh',
    tags,
    summary: 'Rotate a refresh token',
    description:
      'Presenting an already-rotated refresh token revokes its whole session. At most REFRESH_MAX_PER_MINUTE (30) refreshes per session and minute: 429.',
    request: requestOf(schemas.refresh),
    responses: { 200: json(TokensSchema, 'Fresh tokens; the refresh token presented stops working.'), ...errors(...BODY, 401, 429, ...SERVER) },
  });
  for (const method of ['post', 'delete'] as const) {
    registry.registerPath({
      method,
      path: '/logout',
      tags,
      security: SECURITY,
      summary: 'Log out this session',
      description: "This access token and its session's refresh tokens stop working at once; this session's sockets are disconnected.",
      request: requestOf(schemas.logout, { bodyRequired: false }),
      responses: { 200: json(messageSchema('success to logout'), 'Logged out.'), ...errors(...BODY, ...AUTH, ...SERVER) },
    });
  }
  registry.registerPath({
    method: 'put',
    path: '/user/credential',
    tags,
    security: SECURITY,
    summary: 'Change my email and/or password',
    description:
      "Needs `current_password`. Every session and token issued before, the caller's included, is revoked; the response carries tokens for a new session.",
    request: requestOf(schemas.credential),
    responses: { 200: json(CredentialUpdatedSchema, 'Updated; fresh tokens.'), ...errors(...BODY, ...AUTH, 409, 429, ...SERVER) },
  });
}
