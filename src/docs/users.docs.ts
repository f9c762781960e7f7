import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as schemas from '../schemas/user.schemas';
import { AUTH, BODY, PublicProfileSchema, SECURITY, SERVER, UserSchema, errors, json, messageSchema } from './components';
import { pagingHeaders } from './paging';
import { requestOf } from './request';

const tags = ['users'];
const security = SECURITY;

export function registerUserDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/user',
    tags,
    security,
    summary: 'Me',
    request: requestOf(schemas.getMe),
    responses: { 200: json(UserSchema, 'The caller.'), ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'put',
    path: '/user/{id}',
    tags,
    security,
    summary: 'Update a profile',
    description:
      'Self, an admin on a plain user, or a superadmin; else 403. `null` clears address or quotes. Changing one’s own email needs ' +
      '`current_password` (401 INVALID_CREDENTIALS without or wrong, checked before whether the new username or email is taken) ' +
      'and revokes every other session of the user. At most PROFILE_UPDATES_PER_HOUR (30) calls per caller and hour: 429.',
    request: requestOf(schemas.update),
    responses: {
      200: json(z.object({ message: z.literal('success to update'), user: UserSchema }), 'Updated.'),
      ...errors(...BODY, ...AUTH, 403, 404, 409, 429, ...SERVER),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/user/{id}',
    tags,
    security,
    summary: 'Delete an account',
    description:
      "Self, an admin on a plain user, or a superadmin. The user's tokens, sessions, favorites and presence go; their messages stay with UserId null.",
    request: requestOf(schemas.remove),
    responses: { 200: json(messageSchema('success to delete'), 'Deleted.'), ...errors(400, ...AUTH, 403, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/users',
    tags,
    security,
    summary: 'List users (admin and superadmin only)',
    request: requestOf(schemas.list),
    responses: { 200: { ...json(z.array(UserSchema), 'A page of users, by id.'), headers: pagingHeaders }, ...errors(400, ...AUTH, 403, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/users/{id}',
    tags,
    security,
    summary: 'A user',
    description: 'The public profile; the full user for self and admins.',
    request: requestOf(schemas.getOne),
    responses: { 200: json(z.union([UserSchema, PublicProfileSchema]), 'The user.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/users/{id}/role',
    tags,
    security,
    summary: "Change a user's role (superadmin only)",
    request: requestOf(schemas.changeRole),
    responses: {
      200: json(z.object({ message: z.literal('success to update role'), user: UserSchema }), 'Updated.'),
      ...errors(...BODY, ...AUTH, 403, 404, ...SERVER),
    },
  });
}
