import { z } from 'zod';
import * as users from '../controllers/user.controller';
import { PublicProfileSchema, UserSchema, messageSchema } from '../docs/components';
import { pagingHeaders } from '../docs/headers';
import * as schemas from '../schemas/user.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['users'];

/** Declared after every static `/user/<name>` endpoint (credential, avatar, blocks), which `/user/:id` would take. */
export const userEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/user',
    access: 'user',
    tags,
    summary: 'Me',
    responses: { 200: json(UserSchema, 'The caller.') },
    handler: users.me,
  }),
  defineEndpoint({
    method: 'put',
    path: '/user/:id',
    access: 'user',
    tags,
    summary: 'Update a profile',
    description:
      'Self, an admin on a plain user, or a superadmin; else 403. `null` clears address or quotes. Changing one’s own email needs ' +
      '`current_password` (401 INVALID_CREDENTIALS without or wrong, checked before whether the new username or email is taken) ' +
      'and revokes every other session of the user. At most PROFILE_UPDATES_PER_HOUR (30) calls per caller and hour: 429.',
    request: schemas.update,
    responses: {
      200: json(z.strictObject({ message: z.literal('success to update'), user: UserSchema }), 'Updated.'),
      403: problem,
      404: problem,
      409: problem,
    },
    budget: 'profileUpdate',
    // A wrong `current_password` uses up the same guesses as one at `/user/credential`.
    rateLimit: 'credential',
    handler: users.update,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/user/:id',
    access: 'user',
    tags,
    summary: 'Delete an account',
    description:
      "Self, an admin on a plain user, or a superadmin. The user's tokens, sessions, favorites and presence go; their messages stay with UserId null. " +
      'The last superadmin cannot be deleted: 409.',
    request: schemas.remove,
    responses: { 200: json(messageSchema('success to delete'), 'Deleted.'), 403: problem, 404: problem, 409: problem },
    handler: users.remove,
  }),
  defineEndpoint({
    method: 'get',
    path: '/users',
    access: 'admin',
    tags,
    summary: 'List users (admin and superadmin only)',
    request: schemas.list,
    responses: { 200: json(z.array(UserSchema), 'A page of users, by id.', pagingHeaders) },
    handler: users.list,
  }),
  defineEndpoint({
    method: 'get',
    path: '/users/:id',
    access: 'user',
    tags,
    summary: 'A user',
    description: 'The public profile; the full user for self and admins.',
    request: schemas.getOne,
    responses: { 200: json(z.union([UserSchema, PublicProfileSchema]), 'The user.'), 404: problem },
    handler: users.getOne,
  }),
  defineEndpoint({
    method: 'patch',
    path: '/users/:id/role',
    access: 'superadmin',
    tags,
    summary: "Change a user's role (superadmin only)",
    description: 'Demoting the last superadmin: 409.',
    request: schemas.changeRole,
    responses: {
      200: json(z.strictObject({ message: z.literal('success to update role'), user: UserSchema }), 'Updated.'),
      404: problem,
      409: problem,
    },
    handler: users.changeRole,
  }),
];
